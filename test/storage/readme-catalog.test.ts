import * as fs from 'fs';
import * as path from 'path';
import { Provisioner, VolumeMode } from '../../src/storage';

// The README's provisioner table is documentation users rely on: it must say what the code does.
const ABBR: Record<string, string> = { ReadWriteOnce: 'RWO', ReadWriteOncePod: 'RWOP', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX' };

const README = path.join(__dirname, '..', '..', 'README.md');
const SECTION = fs.readFileSync(README, 'utf-8').includes('| `ebs.csi.aws.com` |') ? README : undefined;

describe('README provisioner catalog', () => {
  test('exists', () => {
    expect(SECTION).toBeDefined();
  });
  const text = SECTION ? fs.readFileSync(SECTION, 'utf-8') : '';
  const rows = text.split('\n')
    .filter(line => /^\| `[^`]+` \| `Provisioner\./.test(line))
    .map(line => line.split('|').slice(1, -1).map(cell => cell.trim()));

  test('lists every provisioner of the catalog exactly once', () => {
    expect(rows.map(r => r[0].replace(/`/g, '')).sort()).toEqual(Provisioner.knownNames().sort());
  });

  test.each(Provisioner.knownNames())('row of %s matches the code', (name) => {
    const row = rows.find(r => r[0] === `\`${name}\``)!;
    const p = Provisioner.fromName(name)!;
    const caps = p.capabilities;
    const modes = (m: VolumeMode) => p.accessModes(m).map(a => ABBR[a]).join(', ') || '—';
    const [, factory, fsModes, blockModes, expansion, snapshots, topology, source] = row;
    expect((Provisioner as any)[factory.replace(/^`Provisioner\.|\(\)`$/g, '')]).toEqual(expect.any(Function));
    expect(fsModes).toBe(modes(VolumeMode.FILESYSTEM));
    expect(blockModes).toBe(modes(VolumeMode.BLOCK));
    expect(expansion).toBe(caps.volumeExpansion ? 'yes' : 'no');
    expect(snapshots).toBe(caps.snapshots ? 'yes' : 'no');
    expect(topology).toBe(caps.nodeLocal ? 'node-local' : caps.topologyBound ? 'topology-bound' : '—');
    expect(source).toBe(`[source](${caps.source})`);
  });
});
