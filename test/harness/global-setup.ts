/**
 * Jest global setup: builds (cached) and starts one real kube-apiserver for the whole run, installs
 * the CRDs our objects use, and hands the endpoint to the test workers through the environment.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ENDPOINT_ENV } from './api-server';
import { KubeClient } from '../../tools/kube/client';
import { startApiServer } from '../../tools/kube/control-plane';
import { installCrds } from '../../tools/kube/dry-run';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const server = await startApiServer();
  const client = new KubeClient(server);
  try {
    await installCrds(client);
  } finally {
    client.close();
  }
  const caFile = path.join(server.dir, 'ca.crt');
  fs.writeFileSync(caFile, server.ca);
  process.env[ENDPOINT_ENV] = JSON.stringify({ server: server.server, token: server.token, caFile, version: server.version });
  (globalThis as any).__KUBE_API_SERVER__ = server;
  process.stderr.write(`\nkube-apiserver ${server.version} on ${server.server} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
