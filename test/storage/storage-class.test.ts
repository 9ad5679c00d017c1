import { Chart, Testing } from 'cdk8s';
import { expectStatefulError } from './expect-error';
import {
  AllowedTopology, Provisioner, ReclaimPolicy, StorageClass, VolumeBindingMode,
} from '../../src/storage';
import { find, synth } from '../harness';

const efs = () => Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0' });
function chart(): Chart {
  return new Chart(Testing.app(), 'test');
}

describe('StorageClass', () => {
  test('defaults to Retain, WaitForFirstConsumer and expansion for a zonal block provisioner', () => {
    // GIVEN
    const c = chart();
    // WHEN
    const sc = new StorageClass(c, 'gp3', { provisioner: Provisioner.awsEbs() });
    // THEN
    const obj = find(synth(c), 'StorageClass');
    expect(obj.provisioner).toBe('ebs.csi.aws.com');
    expect(obj.parameters).toEqual({ type: 'gp3', encrypted: 'true' });
    expect(obj.reclaimPolicy).toBe('Retain');
    expect(obj.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(obj.allowVolumeExpansion).toBe(true);
    expect(obj.metadata.annotations).toBeUndefined();
    expect(sc.storageClassName).toBe(obj.metadata.name);
    expect(sc.bindingMode).toBe(VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER);
  });

  test('binds Immediately and does not expand for file storage that is neither zonal nor expandable', () => {
    const c = chart();
    new StorageClass(c, 'efs', { provisioner: efs() });
    const obj = find(synth(c), 'StorageClass');
    expect(obj.volumeBindingMode).toBe('Immediate');
    expect(obj.allowVolumeExpansion).toBe(false);
  });

  test('writes name, Delete, mount options, the default-class annotation and zone topologies', () => {
    const c = chart();
    new StorageClass(c, 'nfs', {
      name: 'shared-nfs',
      provisioner: Provisioner.nfs({ server: 'nfs.example.com', share: '/exports' }),
      reclaimPolicy: ReclaimPolicy.DELETE,
      mountOptions: ['nfsvers=4.1', 'hard'],
      isDefault: true,
      allowedTopologies: [AllowedTopology.zones(['eu-west-1a', 'eu-west-1b']), AllowedTopology.labelIn('topology.ebs.csi.aws.com/zone', ['eu-west-1c'])],
    });
    const obj = find(synth(c), 'StorageClass');
    expect(obj.metadata.name).toBe('shared-nfs');
    expect(obj.metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(obj.reclaimPolicy).toBe('Delete');
    expect(obj.mountOptions).toEqual(['nfsvers=4.1', 'hard']);
    expect(obj.allowedTopologies).toEqual([
      { matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['eu-west-1a', 'eu-west-1b'] }] },
      { matchLabelExpressions: [{ key: 'topology.ebs.csi.aws.com/zone', values: ['eu-west-1c'] }] },
    ]);
  });

  test("emits the provisioner's annotations (OpenEBS cas config)", () => {
    const c = chart();
    new StorageClass(c, 'hostpath', { provisioner: Provisioner.openEbsHostpath(), isDefault: true });
    const obj = find(synth(c), 'StorageClass');
    expect(obj.metadata.annotations['cas.openebs.io/config']).toContain('BasePath');
    expect(obj.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    expect(obj.parameters).toBeUndefined();
    expect(obj.volumeBindingMode).toBe('WaitForFirstConsumer');
  });

  test('may turn expansion off on a provisioner that can expand', () => {
    const c = chart();
    new StorageClass(c, 'gp3', { provisioner: Provisioner.awsEbs(), allowVolumeExpansion: false });
    expect(find(synth(c), 'StorageClass').allowVolumeExpansion).toBe(false);
  });

  test('rejects Immediate binding on a node-local provisioner', () => {
    expectStatefulError(() => new StorageClass(chart(), 'local', { provisioner: Provisioner.local(), bindingMode: VolumeBindingMode.IMMEDIATE }),
      "StorageClass 'test/local': bindingMode must be WaitForFirstConsumer for the node-local provisioner kubernetes.io/no-provisioner (with Immediate the volume is made before the scheduler picks a node, and the pod may never reach it), got \"Immediate\".");
  });

  test('rejects Immediate binding on a topology-bound provisioner', () => {
    expectStatefulError(() => new StorageClass(chart(), 'gp3', { provisioner: Provisioner.awsEbs(), bindingMode: VolumeBindingMode.IMMEDIATE }),
      "StorageClass 'test/gp3': bindingMode must be WaitForFirstConsumer for the topology-bound provisioner ebs.csi.aws.com (with Immediate the volume is made before the scheduler picks a node, and the pod may never reach it; or pin the class to zones with allowedTopologies), got \"Immediate\".");
  });

  test('accepts Immediate binding on zonal storage when the class names its zones', () => {
    const c = chart();
    new StorageClass(c, 'gp3', { provisioner: Provisioner.awsEbs(), bindingMode: VolumeBindingMode.IMMEDIATE, allowedTopologies: [AllowedTopology.zones(['eu-west-1a'])] });
    expect(find(synth(c), 'StorageClass').volumeBindingMode).toBe('Immediate');
  });

  test('never accepts Immediate binding on node-local storage, even with topologies', () => {
    expect(() => new StorageClass(chart(), 'local', {
      provisioner: Provisioner.local(), bindingMode: VolumeBindingMode.IMMEDIATE, allowedTopologies: [AllowedTopology.zones(['eu-west-1a'])],
    })).toThrow(/bindingMode must be WaitForFirstConsumer for the node-local provisioner/);
  });

  test('rejects expansion on a provisioner that cannot expand', () => {
    expectStatefulError(() => new StorageClass(chart(), 'efs', { provisioner: efs(), allowVolumeExpansion: true }),
      "StorageClass 'test/efs': allowVolumeExpansion must be false for provisioner efs.csi.aws.com, which cannot expand volumes, got true.");
  });

  test.each([
    [['nfsvers=4.1,hard'], '"nfsvers=4.1,hard"'],
    [['no atime'], '"no atime"'],
    [[''], '""'],
    [[7], '7'],
  ])('rejects the mount option %j', (mountOptions, shown) => {
    expectStatefulError(() => new StorageClass(chart(), 'nfs', { provisioner: efs(), mountOptions: mountOptions as any }),
      `StorageClass 'test/nfs': mountOptions must be single mount options without spaces or commas, such as 'nfsvers=4.1' or 'noatime', got ${shown}.`);
  });

  test('rejects mount options that are not a list, duplicated, or on node-local storage', () => {
    expectStatefulError(() => new StorageClass(chart(), 'a', { provisioner: efs(), mountOptions: 'hard' as any }),
      "StorageClass 'test/a': mountOptions must be a list of mount options such as ['nfsvers=4.1'], got \"hard\".");
    expectStatefulError(() => new StorageClass(chart(), 'b', { provisioner: efs(), mountOptions: ['hard', 'hard'] }),
      "StorageClass 'test/b': mountOptions must be a list without duplicates, got [\"hard\",\"hard\"].");
    expectStatefulError(() => new StorageClass(chart(), 'c', { provisioner: Provisioner.local(), mountOptions: ['noatime'] }),
      "StorageClass 'test/c': mountOptions must be empty for the node-local provisioner kubernetes.io/no-provisioner (local and hostpath volumes ignore mount options), got [\"noatime\"].");
  });

  test.each([['Fast_Disks'], [''], ['a'.repeat(254)], ['-gp3']])('rejects the name %j', (name) => {
    expect(() => new StorageClass(chart(), 'sc', { provisioner: efs(), name })).toThrow(
      /^StorageClass 'test\/sc': name must be a DNS-1123 subdomain of at most 253 characters/);
  });

  test('rejects a missing provisioner, a provisioner name string and bad enums or booleans', () => {
    expectStatefulError(() => new StorageClass(chart(), 'sc', {} as any),
      "StorageClass 'test/sc': provisioner must be a Provisioner such as Provisioner.awsEbs(), got undefined.");
    expectStatefulError(() => new StorageClass(chart(), 'sc', { provisioner: 'ebs.csi.aws.com' as any }),
      "StorageClass 'test/sc': provisioner must be a Provisioner such as Provisioner.awsEbs(), got \"ebs.csi.aws.com\".");
    expectStatefulError(() => new StorageClass(chart(), 'sc', { provisioner: efs(), reclaimPolicy: 'Recycle' as any }),
      "StorageClass 'test/sc': reclaimPolicy must be one of 'Retain', 'Delete', got \"Recycle\".");
    expectStatefulError(() => new StorageClass(chart(), 'sc', { provisioner: efs(), isDefault: 'true' as any }),
      "StorageClass 'test/sc': isDefault must be true or false, got \"true\".");
    expectStatefulError(() => new StorageClass(chart(), 'sc', undefined as any),
      "StorageClass 'test/sc': props must be an object with at least a provisioner, got undefined.");
  });

  test('rejects topologies that are not AllowedTopology terms, and bad zones', () => {
    expectStatefulError(() => new StorageClass(chart(), 'sc', { provisioner: Provisioner.awsEbs(), allowedTopologies: [{ key: 'k', values: ['v'] } as any] }),
      "StorageClass 'test/sc': allowedTopologies must be AllowedTopology terms made with AllowedTopology.zones() or AllowedTopology.labelIn(), got {\"key\":\"k\",\"values\":[\"v\"]}.");
    expectStatefulError(() => AllowedTopology.zones([]), 'AllowedTopology: values must be a non-empty list of label values, got [].');
    expectStatefulError(() => AllowedTopology.zones(['eu west']),
      "AllowedTopology: values must be label values of at most 63 characters (letters, digits, '-', '_', '.'), such as 'eu-west-1a', got \"eu west\".");
    expectStatefulError(() => AllowedTopology.zones(['eu-west-1a', 'eu-west-1a']), 'AllowedTopology: values must be a list without duplicates, got ["eu-west-1a","eu-west-1a"].');
    expectStatefulError(() => AllowedTopology.labelIn('bad key!', ['a']), "AllowedTopology: key must be a label key such as 'topology.kubernetes.io/zone', got \"bad key!\".");
  });
});

describe('StorageClass defaults', () => {
  test('fails synthesis when an app declares two default classes', () => {
    const c = chart();
    new StorageClass(c, 'gp3', { provisioner: Provisioner.awsEbs(), isDefault: true });
    new StorageClass(c, 'efs', { provisioner: efs(), isDefault: true });
    expect(() => synth(c)).toThrow("StorageClass 'test/efs': isDefault must be false because test/gp3 is already the default class (claims without a class would get whichever default is newest), got true.");
  });

  test('one default among several classes is fine', () => {
    const c = chart();
    new StorageClass(c, 'gp3', { provisioner: Provisioner.awsEbs(), isDefault: true });
    new StorageClass(c, 'efs', { provisioner: efs() });
    expect(synth(c).filter(o => o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true')).toHaveLength(1);
  });
});

describe('StorageClass.fromName', () => {
  test('refers to an existing class, with or without its provisioner', () => {
    const c = chart();
    expect(StorageClass.fromName(c, 'gp2')).toEqual({ storageClassName: 'gp2', provisioner: undefined });
    const ebs = Provisioner.awsEbs();
    expect(StorageClass.fromName(c, 'gp3', ebs).provisioner).toBe(ebs);
    expect(synth(c)).toEqual([]);
  });

  test('rejects a bad name or provisioner', () => {
    expectStatefulError(() => StorageClass.fromName(chart(), 'GP3'),
      "StorageClass.fromName 'test': name must be a DNS-1123 subdomain of at most 253 characters (lower-case letters, digits, '-' and '.'), got \"GP3\".");
    expectStatefulError(() => StorageClass.fromName(chart(), 'gp3', 'ebs.csi.aws.com' as any),
      "StorageClass.fromName 'test': provisioner must be a Provisioner such as Provisioner.awsEbs(), got \"ebs.csi.aws.com\".");
  });
});
