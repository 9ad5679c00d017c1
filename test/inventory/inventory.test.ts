import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import { CLUSTER_CLASSES, HOSTILE, hostileManifests, loadYaml, POSTGRES_HA, ROOT, SECRET_VALUE } from './fixtures';
import { validate } from './schema';
import { run } from '../../src/cli/run';
import { BackupPolicy, DatabaseEngine, StatefulDatabase } from '../../src/database';
import { Inventory } from '../../src/inventory';

const MEMBERS = ['data-orders-0', 'data-orders-1', 'data-orders-2'];

describe('inventory of examples/dist/postgres-ha.yaml', () => {
  // GIVEN the example's output and the cluster's own classes it names
  const alone = Inventory.fromManifests(loadYaml(POSTGRES_HA));
  const withClasses = Inventory.fromManifests([...loadYaml(POSTGRES_HA), ...CLUSTER_CLASSES]);

  test('lists each member claim with its class, provisioner, reclaim and retention policy in JSON', () => {
    // WHEN
    const doc = withClasses.toJson();
    // THEN
    const db = doc.dataStores.find(d => d.id === 'StatefulSet/shop/orders')!;
    expect(db.replicas).toBe(3);
    expect(db.claimRetention).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    const rows = db.claims.map(c => [c.name, c.replica, c.template, c.storageClass, c.provisioner,
      c.reclaimPolicy, c.reclaimPolicySource, c.size, c.generated]);
    expect(rows).toEqual(
      MEMBERS.map((name, i) => [name, i, 'data', 'ebs-gp3', 'ebs.csi.aws.com', 'Retain', 'StorageClass', '50Gi', true]));
    const backups = doc.backups.filter(b => db.backups.includes(b.id));
    expect(backups.map(b => [b.name, b.type, b.schedule, b.keep])).toEqual([
      ['orders-logical-backup', 'logical', '0 3 * * *', 7],
      ['orders-snapshot-backup', 'snapshot', '15 * * * *', 24],
    ]);
    expect(backups[1].snapshotClaims).toEqual(MEMBERS);
    expect(backups[1].snapshotClass).toBe('ebs-snapshots');
    expect(backups[0].destinationClaims).toEqual(['orders-backups']);
    expect(doc.storage.volumeSnapshotClasses).toEqual([expect.objectContaining({ name: 'ebs-snapshots', driver: 'ebs.csi.aws.com', deletionPolicy: 'Retain', inInput: true })]);
  });

  test('says what it cannot know when the class is not in the input', () => {
    const c = alone.toJson().dataStores[0].claims[0];
    expect([c.storageClass, c.storageClassInInput, c.provisioner, c.reclaimPolicy, c.reclaimPolicySource]).toEqual(['ebs-gp3', false, undefined, 'unknown', 'unknown']);
    expect(alone.toText()).toContain('claim data-orders-0 (replica 0 of template data, created by the StatefulSet): 50Gi ReadWriteOnce\n      → class ebs-gp3 (not in the input) → provisioner unknown → reclaim policy unknown');
  });

  test('lists the same chain and schedules in text', () => {
    const text = withClasses.toText();
    expect(text).toContain('StatefulSet shop/orders: 3 replica(s), postgres\n    claim retention policy: whenDeleted Retain, whenScaled Retain');
    for (const [i, name] of MEMBERS.entries()) {
      expect(text).toContain(`claim ${name} (replica ${i} of template data, created by the StatefulSet): 50Gi ReadWriteOnce\n      → class ebs-gp3 → provisioner ebs.csi.aws.com → reclaim policy Retain (StorageClass)`);
    }
    expect(text).toContain('logical backup CronJob shop/orders-logical-backup: schedule 0 3 * * *, keep 7 → claim orders-backups');
    expect(text).toContain('snapshots CronJob shop/orders-snapshot-backup: schedule 15 * * * *, keep 24, snapshot class ebs-snapshots of data-orders-0, data-orders-1, data-orders-2');
  });

  test('groups config, secrets and singletons by name', () => {
    const doc = alone.toJson();
    expect(doc.config.map(c => c.name)).toEqual(['orders-config', 'orders-scripts']);
    expect(doc.secrets.map(s => [s.name, s.inInput])).toEqual([['orders-credentials', false]]);
    expect(doc.singletons).toEqual([expect.objectContaining({ id: 'Service/shop/orders', type: 'service', pod: 'orders-0', workload: 'StatefulSet/shop/orders' })]);
    expect(doc.fileStores).toEqual([]);
  });

  test('attaches guard findings to the objects they name', () => {
    const doc = alone.toJson();
    expect(doc.otherFindings).toEqual([expect.objectContaining({ object: 'PodDisruptionBudget/shop/orders-primary', finding: expect.objectContaining({ ruleId: 'SG019', acknowledged: true }) })]);
    expect(doc.summary.acknowledged).toBe(1);
  });

  test('the JSON follows docs/inventory.schema.json', () => {
    expect(validate(alone.toJson())).toEqual([]);
    expect(validate(withClasses.toJson())).toEqual([]);
    expect(validate(Inventory.fromManifests(hostileManifests()).toJson())).toEqual([]);
    // The validator is not blind: a missing key and a wrong type are reported.
    const broken: any = alone.toJson();
    delete broken.dataStores[0].claims[0].reclaimPolicy;
    broken.summary.config = 'two';
    expect(validate(broken)).toEqual(expect.arrayContaining(['$.dataStores[0].claims[0]: missing reclaimPolicy', '$.summary.config: expected number, got string']));
  });
});

describe('inventory of hostile manifests', () => {
  const inventory = Inventory.fromManifests(hostileManifests());
  const formats: Record<string, string> = {
    text: inventory.toText(),
    json: JSON.stringify(inventory.toJson()),
    markdown: inventory.toMarkdown(),
    mermaid: inventory.toMermaid(),
    html: inventory.toHtml(),
  };

  test.each(Object.keys(formats))('never shows a Secret or ConfigMap value (%s)', format => {
    expect(formats[format]).not.toContain(SECRET_VALUE);
    expect(formats[format]).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    if (format !== 'mermaid') expect(formats[format]).toContain('creds');
  });

  test('escapes names in HTML, Mermaid and Markdown', () => {
    expect(formats.html).not.toContain('<script>alert');
    expect(formats.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    // Only the page's own script element.
    expect(formats.html.match(/<script/g)).toHaveLength(1);
    expect(formats.mermaid).not.toMatch(/<script|-->x/);
    for (const line of formats.mermaid.split('\n').filter(l => /^\s+n\d+/.test(l) && !l.includes('-->'))) {
      expect(line).toMatch(/^ {2}n\d+[[({/\\]{1,2}"[^"]*"[\])}/\\]{1,2}$/);
    }
    expect(formats.markdown).not.toContain('<script>');
  });

  test('still builds the chain: per-replica claims, class, provisioner and the singleton Service', () => {
    const doc = inventory.toJson();
    expect(doc.dataStores[0].claims.map(c => [c.name, c.provisioner])).toEqual([0, 1].map(i => [`data${HOSTILE}-db${HOSTILE}-${i}`, `evil${HOSTILE}`]));
    expect(doc.singletons.find(s => s.type === 'service')?.workload).toBe(`StatefulSet/app/db${HOSTILE}`);
    expect(doc.dataStores[0].findings.map(f => f.ruleId)).toContain('SG009');
  });
});

describe('Inventory.fromChart', () => {
  test('reads a StatefulDatabase inside the app', () => {
    // GIVEN
    const app = new App();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    new StatefulDatabase(chart, 'orders', {
      engine: DatabaseEngine.postgres({ version: '16.4' }),
      replicas: 3,
      storage: { size: Size.gibibytes(5) },
      backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, storage: { size: Size.gibibytes(10) } }),
    });
    // WHEN
    const fromChart = Inventory.fromChart(chart).toJson();
    const fromApp = Inventory.fromApp(app).toJson();
    // THEN
    expect(fromChart.dataStores[0].claims.map(c => [c.name, c.storageClassSource])).toEqual(MEMBERS.map(n => [n, 'cluster-default']));
    expect(fromChart.backups.map(b => [b.schedule, b.targets])).toEqual([['0 3 * * *', ['StatefulSet/shop/orders']]]);
    expect(fromApp).toEqual(fromChart);
  });

  test('rejects what is not a chart', () => {
    expect(() => Inventory.fromChart({} as any)).toThrow(/chart/);
    expect(() => Inventory.fromManifests([null as any])).toThrow(/manifests\[0\]/);
  });
});

describe('cdk8s-stateful inventory', () => {
  const runCli = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await run(argv, { stdout: t => { out += t; }, stderr: t => { err += t; } });
    return { code, out, err };
  };

  test('prints each format', async () => {
    const text = await runCli('inventory', POSTGRES_HA);
    expect(text).toMatchObject({ code: 0, err: '' });
    expect(text.out).toBe(Inventory.fromManifests(loadYaml(POSTGRES_HA)).toText());
    const json = await runCli('inventory', '--format', 'json', POSTGRES_HA);
    expect(JSON.parse(json.out).dataStores[0].claims.map((c: any) => c.name)).toEqual(MEMBERS);
    expect((await runCli('inventory', '--format=mermaid', POSTGRES_HA)).out).toMatch(/^flowchart LR\n/);
    expect((await runCli('inventory', '-f', 'html', POSTGRES_HA)).out).toMatch(/^<!DOCTYPE html>/);
    expect((await runCli('inventory', '--format', 'markdown', POSTGRES_HA)).out).toMatch(/^# Inventory of state/);
  });

  test('refuses a check format and check a format of the inventory', async () => {
    expect(await runCli('inventory', '--format', 'sarif', POSTGRES_HA)).toMatchObject({ code: 2, err: expect.stringContaining('inventory --format must be one of text, json, markdown, mermaid, html') });
    expect(await runCli('check', '--format', 'html', POSTGRES_HA)).toMatchObject({ code: 2, err: expect.stringContaining('--format must be one of text, json, sarif') });
    expect(await runCli('inventory')).toMatchObject({ code: 2 });
  });
});

describe('README', () => {
  test('its inventory diagram is the generated one', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- inventory:mermaid:start -->\n```mermaid\n([\s\S]*?)```\n<!-- inventory:mermaid:end -->/.exec(readme);
    expect(block?.[1]).toBe(Inventory.fromManifests(loadYaml(POSTGRES_HA)).toMermaid());
    expect(readme).toContain('](docs/inventory.png)');
    expect(fs.existsSync(path.join(ROOT, 'docs', 'inventory.png'))).toBe(true);
  });
});
