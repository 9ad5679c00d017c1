/**
 * The anti-pattern every language's smoke app builds, in TypeScript: the message it gets from
 * `app.synth()` is what the Python, Java and Go apps must get, character for character.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Guards, PersistentClaim } from '../../src';

/** Synthesizes the three-replica Deployment on one ReadWriteOnce claim and returns synth's error message. */
export function typescriptGuardsMessage(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-guards-'));
  try {
    const guarded = new App({ outdir });
    Guards.enable(guarded);
    const web = new Chart(guarded, 'shop');
    const data = new PersistentClaim(web, 'data', { size: Size.gibibytes(10) });
    new k8s.KubeDeployment(web, 'web', {
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'web', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName: data.claimName } }],
          },
        },
      },
    });
    try {
      guarded.synth();
    } catch (error) {
      return String(error); // "Error: <message>", as jsii raises it in every language
    }
    throw new Error('smoke: the TypeScript anti-pattern synthesized without an error: the guards no longer reject it');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) process.stdout.write(typescriptGuardsMessage());
