import { StatefulError } from '../../src/internal/errors';
import {
  AccessMode, AzureDiskSku, AzureFileProtocol, EbsVolumeType, GcePdType, LonghornDataLocality, Provisioner, VolumeMode,
} from '../../src/storage';

const RWO = AccessMode.READ_WRITE_ONCE;
const RWOP = AccessMode.READ_WRITE_ONCE_POD;
const ROX = AccessMode.READ_ONLY_MANY;
const RWX = AccessMode.READ_WRITE_MANY;

describe('Provisioner catalog', () => {
  test('every known provisioner cites where its facts come from', () => {
    for (const name of Provisioner.knownNames()) {
      const p = Provisioner.fromName(name)!;
      expect(p.name).toBe(name);
      expect(p.capabilities.source).toMatch(/^https:\/\//);
      expect(p.capabilities.filesystemAccessModes.length).toBeGreaterThan(0);
    }
  });

  test('an unknown provisioner name gives undefined, never a guess', () => {
    expect(Provisioner.fromName('csi.example.com')).toBeUndefined();
  });

  test('node-local provisioners are topology-bound and never expand or snapshot', () => {
    for (const name of Provisioner.knownNames()) {
      const caps = Provisioner.fromName(name)!.capabilities;
      if (caps.nodeLocal) {
        expect(caps.topologyBound).toBe(true);
        expect(caps.volumeExpansion).toBe(false);
        expect(caps.snapshots).toBe(false);
      }
    }
  });

  test('only file storage serves ReadWriteMany in Filesystem mode', () => {
    const rwx = Provisioner.knownNames().filter(n => Provisioner.fromName(n)!.supports(RWX, VolumeMode.FILESYSTEM)).sort();
    expect(rwx).toEqual(['cephfs.csi.ceph.com', 'driver.longhorn.io', 'efs.csi.aws.com', 'file.csi.azure.com', 'nfs.csi.k8s.io']);
  });

  test('accessModes() returns a copy that callers cannot use to change the catalog', () => {
    const p = Provisioner.awsEbs();
    p.accessModes().push(RWX);
    expect(p.supports(RWX)).toBe(false);
  });
});

describe('Provisioner.awsEbs', () => {
  test('defaults to encrypted gp3: ReadWriteOnce, zonal, expansion and snapshots', () => {
    const p = Provisioner.awsEbs();
    expect(p.name).toBe('ebs.csi.aws.com');
    expect(p.parameters).toEqual({ type: 'gp3', encrypted: 'true' });
    expect(p.accessModes(VolumeMode.FILESYSTEM)).toEqual([RWO, RWOP]);
    expect(p.supports(RWX, VolumeMode.BLOCK)).toBe(false);
    expect(p.capabilities).toEqual(expect.objectContaining({ volumeExpansion: true, snapshots: true, topologyBound: true }));
  });

  test('renders iops, throughput, kmsKeyId and fsType as strings', () => {
    const p = Provisioner.awsEbs({ type: EbsVolumeType.GP3, iops: 6000, throughput: 500, kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abc', fsType: 'xfs' });
    expect(p.parameters).toEqual({
      'type': 'gp3',
      'iops': '6000',
      'throughput': '500',
      'encrypted': 'true',
      'kmsKeyId': 'arn:aws:kms:eu-west-1:111122223333:key/abc',
      'csi.storage.k8s.io/fstype': 'xfs',
    });
  });

  test('io2 multi-attaches as raw Block only (ReadWriteMany Block, never Filesystem)', () => {
    const p = Provisioner.awsEbs({ type: EbsVolumeType.IO2, iops: 10000 });
    expect(p.supports(RWX, VolumeMode.BLOCK)).toBe(true);
    expect(p.supports(RWX, VolumeMode.FILESYSTEM)).toBe(false);
  });

  test('io1 does not multi-attach through the CSI driver', () => {
    expect(Provisioner.awsEbs({ type: EbsVolumeType.IO1, iops: 1000 }).supports(RWX, VolumeMode.BLOCK)).toBe(false);
  });

  test.each([
    [{ type: EbsVolumeType.GP2, iops: 3000 }, "Provisioner.awsEbs: iops must be unset for type 'gp2' (only gp3, io1 and io2 take provisioned IOPS), got 3000."],
    [{ iops: 50 }, 'Provisioner.awsEbs: iops must be an integer from 100 to 256000, got 50.'],
    [{ iops: 3000.5 }, 'Provisioner.awsEbs: iops must be an integer from 100 to 256000, got 3000.5.'],
    [{ type: EbsVolumeType.IO2, throughput: 500 }, "Provisioner.awsEbs: throughput must be unset for type 'io2' (only gp3 takes a throughput), got 500."],
    [{ throughput: 5000 }, 'Provisioner.awsEbs: throughput must be an integer from 125 to 2000, got 5000.'],
    [{ encrypted: false, kmsKeyId: 'k' }, 'Provisioner.awsEbs: kmsKeyId must be unset when encrypted is false, got "k".'],
    [{ encrypted: 'yes' }, 'Provisioner.awsEbs: encrypted must be true or false, got "yes".'],
    [{ type: 'gp9' }, "Provisioner.awsEbs: type must be one of 'gp2', 'gp3', 'io1', 'io2', 'sc1', 'st1', 'standard', got \"gp9\"."],
    [{ fsType: 'btrfs' }, "Provisioner.awsEbs: fsType must be one of 'ext3', 'ext4', 'xfs', got \"btrfs\"."],
  ])('rejects bad parameters %j', (options, message) => {
    expect(() => Provisioner.awsEbs(options as any)).toThrow(new StatefulError(message));
  });

  test('treats null options as no options', () => {
    expect(Provisioner.awsEbs(null as any).parameters.type).toBe('gp3');
  });
});

describe('Provisioner.awsEfs', () => {
  test('provisions one access point per volume: ReadWriteMany, no ReadOnlyMany, no Block, no expansion, no snapshots', () => {
    const p = Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0', uid: 1000, gid: 1000, basePath: '/dynamic' });
    expect(p.name).toBe('efs.csi.aws.com');
    expect(p.parameters).toEqual({
      provisioningMode: 'efs-ap', fileSystemId: 'fs-0123456789abcdef0', directoryPerms: '700', uid: '1000', gid: '1000', basePath: '/dynamic',
    });
    expect(p.accessModes()).toEqual([RWO, RWOP, RWX]);
    expect(p.supports(ROX)).toBe(false);
    expect(p.accessModes(VolumeMode.BLOCK)).toEqual([]);
    expect(p.capabilities).toEqual(expect.objectContaining({ volumeExpansion: false, snapshots: false, topologyBound: false }));
  });

  test.each([
    [{ fileSystemId: 'vol-123' }, 'Provisioner.awsEfs: fileSystemId must be an EFS file system id such as \'fs-0123456789abcdef0\', got "vol-123".'],
    [undefined, 'Provisioner.awsEfs: fileSystemId must be an EFS file system id such as \'fs-0123456789abcdef0\', got undefined.'],
    [{ fileSystemId: 'fs-01234567', directoryPerms: '999' }, 'Provisioner.awsEfs: directoryPerms must be an octal mode such as \'700\' or \'0750\', got "999".'],
    [{ fileSystemId: 'fs-01234567', uid: -1 }, 'Provisioner.awsEfs: uid must be an integer from 0 to 4294967295, got -1.'],
    [{ fileSystemId: 'fs-01234567', basePath: 'relative' }, 'Provisioner.awsEfs: basePath must be an absolute path (starting with \'/\', without \'..\' segments), got "relative".'],
  ])('rejects bad parameters %j', (options, message) => {
    expect(() => Provisioner.awsEfs(options as any)).toThrow(new StatefulError(message));
  });
});

describe('other factories', () => {
  test('gcePd: balanced by default, regional on request, ReadOnlyMany but no ReadWriteMany', () => {
    expect(Provisioner.gcePd().parameters).toEqual({ type: 'pd-balanced' });
    const p = Provisioner.gcePd({ type: GcePdType.SSD, regional: true, fsType: 'ext4' });
    expect(p.name).toBe('pd.csi.storage.gke.io');
    expect(p.parameters).toEqual({ 'type': 'pd-ssd', 'replication-type': 'regional-pd', 'csi.storage.k8s.io/fstype': 'ext4' });
    expect(p.supports(ROX)).toBe(true);
    expect(p.supports(RWX)).toBe(false);
    expect(() => Provisioner.gcePd({ type: 'hyperdisk' as any })).toThrow(StatefulError);
  });

  test('azureDisk: StandardSSD_LRS by default, single-node, zonal', () => {
    const p = Provisioner.azureDisk({ skuName: AzureDiskSku.PREMIUM_ZRS });
    expect(p.name).toBe('disk.csi.azure.com');
    expect(p.parameters).toEqual({ skuName: 'Premium_ZRS' });
    expect(Provisioner.azureDisk().parameters).toEqual({ skuName: 'StandardSSD_LRS' });
    expect(p.supports(RWX)).toBe(false);
    expect(p.capabilities.topologyBound).toBe(true);
    expect(() => Provisioner.azureDisk({ skuName: 'Premium' as any })).toThrow(StatefulError);
  });

  test('azureFile: SMB by default, ReadWriteMany, expansion and snapshots', () => {
    const p = Provisioner.azureFile({ protocol: AzureFileProtocol.NFS, skuName: 'Premium_LRS' });
    expect(p.name).toBe('file.csi.azure.com');
    expect(p.parameters).toEqual({ skuName: 'Premium_LRS', protocol: 'nfs' });
    expect(Provisioner.azureFile().parameters.protocol).toBe('smb');
    expect(p.supports(RWX)).toBe(true);
    expect(p.capabilities).toEqual(expect.objectContaining({ volumeExpansion: true, snapshots: true }));
    expect(() => Provisioner.azureFile({ skuName: '' })).toThrow('Provisioner.azureFile: skuName must be a non-empty string without control characters, got "".');
  });

  test('longhorn: three replicas, ReadWriteMany; strict-local becomes node-bound and loses ReadWriteMany', () => {
    const p = Provisioner.longhorn();
    expect(p.name).toBe('driver.longhorn.io');
    expect(p.parameters).toEqual({ numberOfReplicas: '3', staleReplicaTimeout: '30', dataLocality: 'disabled' });
    expect(p.supports(RWX)).toBe(true);
    const strict = Provisioner.longhorn({ numberOfReplicas: 1, dataLocality: LonghornDataLocality.STRICT_LOCAL });
    expect(strict.supports(RWX)).toBe(false);
    expect(strict.capabilities.topologyBound).toBe(true);
    expect(() => Provisioner.longhorn({ numberOfReplicas: 0 })).toThrow('Provisioner.longhorn: numberOfReplicas must be an integer from 1 to 20, got 0.');
  });

  test('openEbsHostpath: node-local, configured through the cas.openebs.io/config annotation', () => {
    const p = Provisioner.openEbsHostpath({ basePath: '/mnt/openebs' });
    expect(p.name).toBe('openebs.io/local');
    expect(p.parameters).toEqual({});
    expect(p.annotations['cas.openebs.io/config']).toContain('value: "/mnt/openebs"');
    expect(p.annotations['cas.openebs.io/config']).toContain('value: "hostpath"');
    expect(p.capabilities).toEqual(expect.objectContaining({ nodeLocal: true, topologyBound: true, snapshots: false, volumeExpansion: false }));
    expect(() => Provisioner.openEbsHostpath({ basePath: '../x' })).toThrow(StatefulError);
  });

  test('cephRbd: block images with the ceph-csi secrets; ReadWriteMany only as raw Block', () => {
    const p = Provisioner.cephRbd({ clusterId: 'c1', pool: 'kube' });
    expect(p.name).toBe('rbd.csi.ceph.com');
    expect(p.parameters).toEqual(expect.objectContaining({
      'clusterID': 'c1',
      'pool': 'kube',
      'imageFeatures': 'layering',
      'csi.storage.k8s.io/provisioner-secret-name': 'csi-rbd-secret',
      'csi.storage.k8s.io/node-stage-secret-namespace': 'ceph-csi',
    }));
    expect(p.supports(RWX, VolumeMode.FILESYSTEM)).toBe(false);
    expect(p.supports(RWX, VolumeMode.BLOCK)).toBe(true);
    expect(() => Provisioner.cephRbd({ clusterId: 'c1', pool: '' })).toThrow('Provisioner.cephRbd: pool must be a non-empty string without control characters, got "".');
    expect(() => Provisioner.cephRbd(undefined as any)).toThrow(StatefulError);
  });

  test('cephFs: shared file system, ReadWriteMany', () => {
    const p = Provisioner.cephFs({ clusterId: 'c1', fsName: 'cephfs', secretName: 's', secretNamespace: 'rook' });
    expect(p.name).toBe('cephfs.csi.ceph.com');
    expect(p.parameters).toEqual(expect.objectContaining({ 'fsName': 'cephfs', 'csi.storage.k8s.io/provisioner-secret-name': 's', 'csi.storage.k8s.io/provisioner-secret-namespace': 'rook' }));
    expect(p.supports(RWX)).toBe(true);
  });

  test('nfs: a sub-directory of an export per volume; ReadWriteMany, snapshots and (nominal) expansion', () => {
    const p = Provisioner.nfs({ server: 'nfs.example.com', share: '/exports', subDir: '${pvc.metadata.name}' });
    expect(p.name).toBe('nfs.csi.k8s.io');
    expect(p.parameters).toEqual({ server: 'nfs.example.com', share: '/exports', subDir: '${pvc.metadata.name}' });
    expect(p.supports(RWX)).toBe(true);
    expect(p.capabilities).toEqual(expect.objectContaining({ snapshots: true, volumeExpansion: true }));
    expect(() => Provisioner.nfs({ server: 'nfs', share: 'exports' })).toThrow(StatefulError);
  });

  test('local: no provisioner, node-local, ReadWriteOnce only (ReadWriteOncePod is for CSI volumes)', () => {
    const p = Provisioner.local();
    expect(p.name).toBe('kubernetes.io/no-provisioner');
    expect(p.parameters).toEqual({});
    expect(p.capabilities.nodeLocal).toBe(true);
    expect(p.accessModes(VolumeMode.FILESYSTEM)).toEqual([RWO]);
    expect(p.accessModes(VolumeMode.BLOCK)).toEqual([RWO]);
    expect(Provisioner.openEbsHostpath().accessModes()).toEqual([RWO]);
  });

  test('custom: takes the capabilities you vouch for and string parameters', () => {
    const p = Provisioner.custom('csi.vsphere.vmware.com', { filesystemAccessModes: [RWO], snapshots: true }, { storagepolicyname: 'gold' });
    expect(p.name).toBe('csi.vsphere.vmware.com');
    expect(p.parameters).toEqual({ storagepolicyname: 'gold' });
    expect(p.supports(RWO)).toBe(true);
    expect(p.accessModes(VolumeMode.BLOCK)).toEqual([]);
  });

  test.each([
    [['bad name!', { filesystemAccessModes: [] }, {}], "Provisioner.custom: name must be a provisioner name such as 'csi.example.com' or 'example.com/driver', got \"bad name!\"."],
    [['csi.example.com', {}, {}], 'Provisioner.custom: capabilities.filesystemAccessModes must be a list of access modes, got undefined.'],
    [['csi.example.com', { filesystemAccessModes: ['RWX'] }, {}], "Provisioner.custom: capabilities.filesystemAccessModes must be one of 'ReadWriteOnce', 'ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteMany', got \"RWX\"."],
    [['csi.example.com', { filesystemAccessModes: [] }, { replicas: 3 }], 'Provisioner.custom: parameters.replicas must be a string (StorageClass parameters are strings), got 3.'],
  ])('custom rejects %j', (args, message) => {
    expect(() => (Provisioner.custom as any)(...args)).toThrow(new StatefulError(message));
  });
});
