/** Jest global teardown: stops the API server of the run and removes its directory. */
import type { ApiServer } from '../../tools/kube/control-plane';

export default async function globalTeardown(): Promise<void> {
  const server: ApiServer | undefined = (globalThis as any).__KUBE_API_SERVER__;
  await server?.stop();
}
