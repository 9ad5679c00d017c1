import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { synthSession } from '../../src/guards/synth-session';

// Tripwire for src/guards/synth-session.ts, the guards' one step outside cdk8s's public validation
// API: if a cdk8s upgrade changes what it relies on, these fail before the guards misbehave.
describe('synth sessions (what the guards rely on in cdk8s)', () => {
  function appWithObjects(charts = 2): { app: App; objects: ApiObject[] } {
    const app = Testing.app();
    const objects: ApiObject[] = [];
    for (let i = 0; i < charts; i++) {
      const chart = new Chart(app, `c${i}`);
      objects.push(new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { i: String(i) } }));
    }
    return { app, objects };
  }

  test('app.synth and app.synthYaml are App instance methods that run validations inside the session, 1 + charts times', () => {
    for (const method of ['synth', 'synthYaml'] as const) {
      const { app } = appWithObjects(2);
      let ended = 0;
      const session = synthSession(app, () => { ended++; });
      const activeDuringValidation: boolean[] = [];
      app.node.addValidation({ validate: () => { activeDuringValidation.push(session.active); return []; } });
      expect(session.active).toBe(false);
      app[method]();
      expect(activeDuringValidation).toEqual([true, true, true]);
      expect(session.active).toBe(false);
      expect(ended).toBe(1);
    }
  });

  test('inside a session cdk8s writes the JSON handed to it, and the object serializes itself again afterwards', () => {
    const { app, objects } = appWithObjects(1);
    const session = synthSession(app, () => undefined);
    app.node.addValidation({
      validate: () => {
        session.remember(objects[0], { ...objects[0].toJson(), data: { judged: 'by-the-guards' } });
        return [];
      },
    });
    expect(app.synthYaml()).toContain('judged: by-the-guards');
    expect(objects[0].toJson().data).toEqual({ i: '0' });
    expect(Object.prototype.hasOwnProperty.call(objects[0], 'toJson')).toBe(false);
  });

  test('a failing synth ends its session too', () => {
    const { app } = appWithObjects(1);
    let ended = 0;
    const session = synthSession(app, () => { ended++; });
    app.node.addValidation({ validate: () => ['no'] });
    expect(() => app.synth()).toThrow(/no/);
    expect([session.active, ended]).toEqual([false, 1]);
  });

  test('Testing.synth (chart.toJson) is not a session: every call reads the app again', () => {
    const { app } = appWithObjects(1);
    const session = synthSession(app, () => undefined);
    const seen: boolean[] = [];
    app.node.addValidation({ validate: () => { seen.push(session.active); return []; } });
    Testing.synth(app.charts[0]);
    expect(seen).toEqual([false]);
  });
});
