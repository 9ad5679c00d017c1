import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';

/** An example app: a folder under examples/ with an app.ts exporting `build(app)`. */
export interface ExampleModule {
  build(app: App): void;
}

/** Names of every example, sorted. */
export function exampleNames(): string[] {
  return fs.readdirSync(__dirname, { withFileTypes: true })
    .filter(d => d.isDirectory() && fs.existsSync(path.join(__dirname, d.name, 'app.ts')))
    .map(d => d.name)
    .sort();
}

/** Build one example into a fresh App (output directory unused: we synthesize to a string). */
export function buildExample(name: string): App {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod: ExampleModule = require(path.join(__dirname, name, 'app'));
  const app = new App({ outdir: path.join(__dirname, 'dist', '.tmp') });
  mod.build(app);
  return app;
}

/** Synthesize one example to multi-document YAML (every validation of the app runs). */
export function synthExample(name: string): string {
  return buildExample(name).synthYaml();
}
