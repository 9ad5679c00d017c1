// The page functions run in the browser: DOM types for them.
/// <reference lib="dom" />
/**
 * The HTML inventory and the Mermaid output in a real browser (Debian's headless chromium, driven by
 * playwright-core): the page draws every box and arrow of the inventory's diagram, raises no
 * console or page error, makes no network request; Mermaid's own parser accepts the flowchart and
 * renders one node per box.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Browser, Page } from 'playwright-core';
import { launch } from './browser';
import { hostileManifests, loadYaml, POSTGRES_HA, ROOT } from './fixtures';
import { Inventory } from '../../src/inventory';

jest.setTimeout(180_000);

let browser: Browser | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-inventory-'));
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** A page recording console errors, page errors and every request that is not the file itself. */
async function watchedPage(): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser!.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('request', r => requests.push(r.url()));
  return { page, problems, requests };
}

describe.each([
  ['postgres-ha.yaml', () => Inventory.fromManifests(loadYaml(POSTGRES_HA))],
  ['hostile names', () => Inventory.fromManifests(hostileManifests())],
])('the HTML inventory of %s', (label, make) => {
  test('draws every box and arrow, with no error and no network request', async () => {
    // GIVEN the page written to a file
    const inventory = make();
    const doc = inventory.toJson();
    const file = path.join(dir, `${label.replace(/\W+/g, '-')}.html`);
    fs.writeFileSync(file, inventory.toHtml());
    const url = pathToFileURL(file).href;
    const { page, problems, requests } = await watchedPage();
    // WHEN it loads
    await page.goto(url, { waitUntil: 'load' });
    // THEN the SVG has one box per node and one path per edge of the inventory's diagram
    expect(doc.diagram.nodes.length).toBeGreaterThan(3);
    expect(await page.locator('svg#chain g.node').count()).toBe(doc.diagram.nodes.length);
    expect(await page.locator('svg#chain path.edge').count()).toBe(doc.diagram.edges.length);
    const ids = await page.locator('svg#chain g.node').evaluateAll(gs => gs.map(g => g.getAttribute('data-id')));
    expect(ids.sort()).toEqual(doc.diagram.nodes.map(n => n.id).sort());
    // every box is drawn with a size, inside the SVG
    const boxes = await page.locator('svg#chain g.node rect').evaluateAll(rs => rs.map(r => { const b = (r as SVGGraphicsElement).getBBox(); return b.width > 50 && b.height > 20; }));
    expect(boxes.every(Boolean)).toBe(true);
    // each arrow joins two drawn boxes
    const dangling = await page.locator('svg#chain path.edge').evaluateAll(es => es.filter(e =>
      !document.querySelector(`g.node[data-id="${e.getAttribute('data-from')}"]`) || !document.querySelector(`g.node[data-id="${e.getAttribute('data-to')}"]`)).length);
    expect(dangling).toBe(0);
    // the names are text, never markup: no script but the page's own, the hostile name shown as written
    expect(await page.locator('script').count()).toBe(1);
    if (label === 'hostile names') expect(await page.locator('h3', { hasText: '<script>alert(1)</script>' }).count()).toBeGreaterThan(0);
    // clicking a box highlights its card (the inline script runs)
    await page.locator('svg#chain g.node').first().click();
    expect(await page.locator('.grid.hl').count()).toBe(1);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    if (label === 'postgres-ha.yaml') await page.screenshot({ path: path.join(dir, 'inventory.png'), fullPage: true });
    await page.close();
  });
});

describe.each([
  ['postgres-ha.yaml', () => Inventory.fromManifests(loadYaml(POSTGRES_HA))],
  ['hostile names', () => Inventory.fromManifests(hostileManifests())],
])('the Mermaid inventory of %s', (_label, make) => {
  test("is accepted by Mermaid's parser and renders one node per box", async () => {
    // GIVEN mermaid's own bundle in a blank page
    const inventory = make();
    const text = inventory.toMermaid();
    const { page, problems } = await watchedPage();
    await page.setContent('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: path.join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
    // WHEN it parses and renders the flowchart
    const result = await page.evaluate(async (source: string) => {
      const m = (window as any).mermaid;
      m.initialize({ startOnLoad: false, securityLevel: 'strict' });
      const parsed = await m.parse(source);
      const { svg } = await m.render('inventory', source);
      document.getElementById('out')!.innerHTML = svg;
      return {
        type: parsed?.diagramType,
        nodes: document.querySelectorAll('#out g.node').length,
        edges: document.querySelectorAll('#out .edgePaths path, #out path.flowchart-link').length,
        scripts: document.querySelectorAll('#out script').length,
      };
    }, text);
    // THEN
    expect(result.type).toBe('flowchart-v2');
    expect(result.nodes).toBe(inventory.document.diagram.nodes.length);
    expect(result.edges).toBeGreaterThanOrEqual(inventory.document.diagram.edges.length);
    expect(result.scripts).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
