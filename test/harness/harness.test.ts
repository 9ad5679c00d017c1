import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { find, RESTRICTED, synth } from '.';
import { checkRecordedWithApiServer, recordForApiServer } from './api-server';

// The harness itself: synth() hands back what `cdk8s synth` writes and records it for the API
// server; the check at the end of each file fails on a refusal or a warning.
describe('test harness', () => {
  test('synth() round-trips the YAML and returns the cdk8s-plus output', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27', portNumber: 8080, securityContext: RESTRICTED }] });
    const deployment = find(synth(chart), 'Deployment');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('the end-of-file check names the test, the object and the server message of a refusal', async () => {
    const bad = new Chart(Testing.app(), 'bad');
    new ApiObject(bad, 'pvc', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { accesModes: ['ReadWriteOnce'] } });
    recordForApiServer(Testing.synth(bad));
    await expect(checkRecordedWithApiServer()).rejects.toThrow(
      /test "test harness the end-of-file check names the test, the object and the server message of a refusal": PersistentVolumeClaim default\/bad-pvc-\w+ rejected: .*strict decoding error: unknown field "spec.accesModes"/);
  });

  test('the end-of-file check fails on a Pod Security warning too', async () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'root', { containers: [{ image: 'nginx:1.27', securityContext: { ensureNonRoot: false } }] });
    recordForApiServer(Testing.synth(chart));
    await expect(checkRecordedWithApiServer()).rejects.toThrow(/Deployment default\/\S+ warned: would violate PodSecurity "restricted:latest"/);
  });

  test('the end-of-file check passes objects the server accepts', async () => {
    const chart = Testing.chart();
    new kplus.ConfigMap(chart, 'config', { data: { a: 'b' } });
    recordForApiServer(Testing.synth(chart));
    await expect(checkRecordedWithApiServer()).resolves.toBeUndefined();
  });
});
