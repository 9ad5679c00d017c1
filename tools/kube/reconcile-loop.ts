/**
 * The loop the simulated kubelets and the provisioner run in: one tick at a time (a slow tick
 * delays the next, never overlaps it), errors kept for the log instead of crashing the run.
 */
import { KubeClient, KubeResponse, statusMessage } from './client';

export class ReconcileLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly tick: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops the loop and waits for the tick in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().catch(this.onError).finally(() => {
        this.running = undefined;
        this.schedule(this.intervalMs);
      });
    }, delay);
  }
}

/** RFC 3339 with seconds, as the API server writes metav1.Time. */
export function nowTime(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime (Lease renewTime, Event eventTime). */
export function nowMicroTime(): string {
  return new Date().toISOString().replace(/Z$/, '000Z');
}

/** Throws with the server's message unless the status is one of `ok`. */
export function expectStatus(res: KubeResponse, what: string, ok: number[] = [200, 201]): KubeResponse {
  if (!ok.includes(res.status)) throw new Error(`${what}: ${statusMessage(res)}`);
  return res;
}

/** Records a core/v1 Event about an object, as kubelets and provisioners do (best effort). */
export async function recordEvent(client: KubeClient, object: any, type: 'Normal' | 'Warning', reason: string, message: string, component: string): Promise<void> {
  const namespace = object.metadata.namespace ?? 'default';
  const time = nowTime();
  await client.request('POST', `/api/v1/namespaces/${namespace}/events`, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { generateName: `${object.metadata.name}.`, namespace },
    involvedObject: {
      apiVersion: object.apiVersion ?? 'v1',
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
    },
    type,
    reason,
    message,
    source: { component },
    reportingComponent: component,
    reportingInstance: component,
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  }).catch(() => undefined);
}
