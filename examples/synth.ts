/**
 * `npm run examples`: synthesize every example app (examples/<name>/app.ts exporting
 * `build(app)`) into one multi-document YAML file per example: examples/dist/<name>.yaml.
 */
import * as fs from 'fs';
import * as path from 'path';
import { exampleNames, synthExample } from './examples';

const dist = path.join(__dirname, 'dist');
fs.mkdirSync(dist, { recursive: true });
for (const name of exampleNames()) {
  const yaml = synthExample(name);
  const file = path.join(dist, `${name}.yaml`);
  fs.writeFileSync(file, yaml);
  const count = yaml.split(/^---$/m).filter(doc => doc.trim()).length;
  console.log(`examples/dist/${name}.yaml: ${count} objects`);
}
