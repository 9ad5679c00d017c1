import {
  AccessMode, AzureDiskSku, AzureFileProtocol, EbsVolumeType, GcePdType, LonghornDataLocality, Provisioner, VolumeMode,
} from '../../src/storage';

/**
 * One fact, one place: what a class can do is computed from its provisioner name and parameters by
 * Provisioner.fromStorageClass, which the guards use for classes of any origin. For every factory
 * and every option that changes the parameters, the class a construct renders must read back with
 * exactly the capabilities the construct checked claims against.
 */
const factories: Array<[string, Provisioner]> = [
  ...Object.values(EbsVolumeType).map(type => [`awsEbs ${type}`, Provisioner.awsEbs({ type })] as [string, Provisioner]),
  ...Object.values(GcePdType).map(type => [`gcePd ${type}`, Provisioner.gcePd({ type })] as [string, Provisioner]),
  ...Object.values(AzureDiskSku).map(skuName => [`azureDisk ${skuName}`, Provisioner.azureDisk({ skuName })] as [string, Provisioner]),
  ...Object.values(AzureFileProtocol).map(protocol => [`azureFile ${protocol}`, Provisioner.azureFile({ protocol })] as [string, Provisioner]),
  ...Object.values(LonghornDataLocality).map(dataLocality => [`longhorn ${dataLocality}`, Provisioner.longhorn({ dataLocality })] as [string, Provisioner]),
  ['awsEfs', Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0' })],
  ['openEbsHostpath', Provisioner.openEbsHostpath()],
  ['cephRbd', Provisioner.cephRbd({ clusterId: 'c', pool: 'p' })],
  ['cephFs', Provisioner.cephFs({ clusterId: 'c', fsName: 'f' })],
  ['nfs', Provisioner.nfs({ server: 'nfs.example.com', share: '/exports' })],
  ['local', Provisioner.local()],
];

describe('provisioner capabilities agree between the constructs and the guards', () => {
  test.each(factories)('%s: the rendered class reads back with the same capabilities', (_name, provisioner) => {
    const read = Provisioner.fromStorageClass(provisioner.name, provisioner.parameters);
    expect(read?.capabilities).toEqual(provisioner.capabilities);
    for (const mode of [VolumeMode.FILESYSTEM, VolumeMode.BLOCK]) {
      for (const access of Object.values(AccessMode)) {
        expect([mode, access, read!.supports(access, mode)]).toEqual([mode, access, provisioner.supports(access, mode)]);
      }
    }
  });

  test('EBS multi-attach is io2 Block only, never io1 (docs/multi-attach.md of the driver)', () => {
    expect(Provisioner.fromStorageClass('ebs.csi.aws.com', { type: 'io2' })!.supports(AccessMode.READ_WRITE_MANY, VolumeMode.BLOCK)).toBe(true);
    expect(Provisioner.fromStorageClass('ebs.csi.aws.com', { type: 'io1' })!.supports(AccessMode.READ_WRITE_MANY, VolumeMode.BLOCK)).toBe(false);
    expect(Provisioner.awsEbs({ type: EbsVolumeType.IO1 }).supports(AccessMode.READ_WRITE_MANY, VolumeMode.BLOCK)).toBe(false);
  });

  test('in-tree provisioners are read from classes of any origin, with the facts of kubernetes.io, but built by no factory', () => {
    const zonal = ['kubernetes.io/aws-ebs', 'kubernetes.io/gce-pd', 'kubernetes.io/azure-disk', 'kubernetes.io/cinder'];
    const shared = ['kubernetes.io/azure-file', 'kubernetes.io/glusterfs', 'kubernetes.io/portworx-volume'];
    for (const name of [...zonal, ...shared, 'kubernetes.io/vsphere-volume', 'kubernetes.io/rbd']) {
      const read = Provisioner.fromStorageClass(name, {})!;
      expect([name, read.capabilities.source]).toEqual([name, expect.stringMatching(/^https:\/\/kubernetes.io\/docs\/concepts\/storage\/storage-classes\/#/)]);
      expect([name, read.capabilities.topologyBound]).toEqual([name, zonal.includes(name)]);
      expect([name, read.supports(AccessMode.READ_WRITE_MANY, VolumeMode.FILESYSTEM)]).toEqual([name, shared.includes(name)]);
      expect(read.capabilities.snapshots).toBe(false); // CSI only
      expect(Provisioner.knownNames()).not.toContain(name);
    }
    // GCE PD serves ReadOnlyMany (the access-mode table), EBS does not.
    expect(Provisioner.fromStorageClass('kubernetes.io/gce-pd')!.supports(AccessMode.READ_ONLY_MANY, VolumeMode.FILESYSTEM)).toBe(true);
    expect(Provisioner.fromStorageClass('kubernetes.io/aws-ebs')!.supports(AccessMode.READ_ONLY_MANY, VolumeMode.FILESYSTEM)).toBe(false);
  });

  test('an unknown provisioner has no capabilities to agree on', () => {
    expect(Provisioner.fromStorageClass('csi.example.com', {})).toBeUndefined();
  });
});
