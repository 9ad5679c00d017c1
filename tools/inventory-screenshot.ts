/**
 * Writes docs/inventory.png: the HTML inventory of examples/dist/postgres-ha.yaml (with the
 * cluster's StorageClass and VolumeSnapshotClass it names), as headless chromium draws it.
 * Run: npx ts-node --project test/tsconfig.json --transpile-only tools/inventory-screenshot.ts
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Inventory } from '../src/inventory';
import { launch } from '../test/inventory/browser';
import { CLUSTER_CLASSES, loadYaml, POSTGRES_HA, ROOT } from '../test/inventory/fixtures';

async function main(): Promise<void> {
  const html = Inventory.fromManifests([...loadYaml(POSTGRES_HA), ...CLUSTER_CLASSES], { title: 'Inventory of examples/postgres-ha' }).toHtml();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'inventory-')), 'inventory.html');
  fs.writeFileSync(file, html);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    const out = path.join(ROOT, 'docs', 'inventory.png');
    await page.screenshot({ path: out, fullPage: false });
    process.stdout.write(`${out}\n`);
  } finally {
    await browser.close();
  }
}

main().catch(e => { process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`); process.exitCode = 1; });
