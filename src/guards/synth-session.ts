import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * The one place where the guards step outside cdk8s's public validation API, for speed.
 *
 * `app.synth()` and `app.synthYaml()` run every validation 1 + (number of charts) times, and
 * nothing a validation can see tells the passes of one synth from a fresh synth; after validating,
 * cdk8s serializes every object again. Without help the guards would read every object's JSON
 * 1 + charts times per synth, on top of cdk8s's own read (+41 % at 1000 databases, measured).
 *
 * So, for an app with guards, this wraps that app's own `synth` and `synthYaml` (an instance
 * property; the prototype is untouched) to mark a synth session. Inside a session the guards read
 * each object once and hand the JSON they read to cdk8s (a `toJson` instance property on that
 * object, removed when the session ends), so each object is serialized once per synth. The test
 * `synth-session.test.ts` fails loudly if a cdk8s upgrade changes what this relies on: that
 * `synth`/`synthYaml` are methods of the App instance that run the validations, then call each
 * object's `toJson()`.
 */
export interface SynthSession {
  /** Whether a synth of the app is running (the validation passes of it share one reading). */
  readonly active: boolean;
  /** Objects read in the current session: cdk8s gets their JSON without serializing them again. */
  remember(object: ApiObject, json: unknown): void;
}

class Session implements SynthSession {
  public depth = 0;
  private readonly remembered: ApiObject[] = [];

  public get active(): boolean {
    return this.depth > 0;
  }

  public remember(object: ApiObject, json: unknown): void {
    if (!this.active) return;
    Object.defineProperty(object, 'toJson', { value: () => json, configurable: true, writable: true, enumerable: false });
    this.remembered.push(object);
  }

  public end(): void {
    for (const o of this.remembered.splice(0)) delete (o as { toJson?: unknown }).toJson;
  }
}

const SESSIONS = new WeakMap<IConstruct, Session>();

/**
 * The synth session of an app (created, and its synth methods wrapped, on first call). `onEnd`
 * runs when a synth of the app ends, successfully or not.
 */
export function synthSession(app: IConstruct, onEnd: () => void): SynthSession {
  let session = SESSIONS.get(app);
  if (session) return session;
  const created = new Session();
  SESSIONS.set(app, created);
  const target = app as unknown as Record<string, unknown>;
  for (const method of ['synth', 'synthYaml']) {
    const original = target[method];
    if (typeof original !== 'function') continue; // not an App (a bare construct root): no sessions
    Object.defineProperty(app, method, {
      configurable: true,
      writable: true,
      enumerable: false,
      value: function (this: unknown, ...args: unknown[]) {
        created.depth++;
        try {
          return (original as (...a: unknown[]) => unknown).apply(this, args);
        } finally {
          created.depth--;
          if (created.depth === 0) {
            created.end();
            onEnd();
          }
        }
      },
    });
  }
  session = created;
  return session;
}
