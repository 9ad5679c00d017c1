/**
 * A tiny dynamic provisioner standing in for every CSI driver a StorageClass names (except
 * `kubernetes.io/no-provisioner`, whose volumes are made by hand), driven the way the CSI
 * external-provisioner is:
 *
 * - it serves a claim once the PersistentVolume controller has handed it over
 *   (`volume.kubernetes.io/storage-provisioner` names the class's provisioner), and for a
 *   WaitForFirstConsumer class once the scheduler has picked a node (`volume.kubernetes.io/selected-node`);
 * - it refuses (event ProvisioningFailed, the claim stays Pending) an access mode or volume mode
 *   the provisioner cannot serve, from the library's provisioner catalog (unknown provisioners
 *   serve what is asked), and a claim restoring a VolumeSnapshot that is not readyToUse;
 * - the volume it creates is pre-bound to the claim (claimRef) with the claim's size, access
 *   modes and volume mode, the class's reclaim policy and mount options, a CSI source, and the
 *   node affinity of the provisioner's topology: the selected node for node-local storage, its
 *   zone for topology-bound storage (Immediate binding: the class's allowedTopologies, else the
 *   zone of one of the nodes); the PersistentVolume controller then binds them;
 * - a Released volume it provisioned with reclaim policy Delete is deleted (the disk is gone).
 *
 * No disk exists: nothing is attached, mounted, expanded or snapshotted.
 */
import { KubeClient } from './client';
import { expectStatus, recordEvent, ReconcileLoop } from './reconcile-loop';
import { AccessMode, Provisioner, VolumeMode } from '../../src/storage';

const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
const STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const SIMULATED = 'cdk8s-stateful.dev/simulated';
const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';
const COMPONENT = 'simulated-csi-provisioner';

export class VolumeProvisioner {
  private readonly loop: ReconcileLoop;
  /** Claims already told why they wait (uid → message), so each reason is one event. */
  private readonly reported = new Map<string, string>();

  constructor(private readonly client: KubeClient, log?: (line: string) => void) {
    this.loop = new ReconcileLoop(250, () => this.sync(),
      error => log?.(`provisioner: ${error instanceof Error ? error.message : String(error)}`));
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async sync(): Promise<void> {
    const [classes, claims, volumes] = await Promise.all([
      this.client.request('GET', '/apis/storage.k8s.io/v1/storageclasses'),
      this.client.request('GET', '/api/v1/persistentvolumeclaims'),
      this.client.request('GET', '/api/v1/persistentvolumes'),
    ]);
    if (classes.status !== 200 || claims.status !== 200 || volumes.status !== 200) return;
    const byName = new Map<string, any>((classes.body.items as any[]).map(c => [c.metadata.name, c]));
    const volumeNames = new Set((volumes.body.items as any[]).map(v => v.metadata.name));

    for (const claim of claims.body.items as any[]) {
      if (claim.spec.volumeName || claim.status?.phase !== 'Pending' || claim.metadata.deletionTimestamp) continue;
      const sc = byName.get(claim.spec.storageClassName);
      if (!sc || sc.provisioner === NO_PROVISIONER) continue;
      const annotations = claim.metadata.annotations ?? {};
      if (annotations[STORAGE_PROVISIONER] !== sc.provisioner) continue; // not handed over yet
      const selectedNode = annotations[SELECTED_NODE];
      if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !selectedNode) continue;
      const name = `pvc-${claim.metadata.uid}`;
      if (volumeNames.has(name)) continue;
      const refusal = await this.refusal(claim, sc);
      if (refusal) {
        if (this.reported.get(claim.metadata.uid) !== refusal) {
          this.reported.set(claim.metadata.uid, refusal);
          await recordEvent(this.client, { ...claim, kind: 'PersistentVolumeClaim', apiVersion: 'v1' }, 'Warning', 'ProvisioningFailed', refusal, COMPONENT);
        }
        continue;
      }
      const volume = await this.volumeFor(name, claim, sc, selectedNode);
      const res = await this.client.request('POST', '/api/v1/persistentvolumes', volume);
      if (res.status === 201) {
        await recordEvent(this.client, { ...claim, kind: 'PersistentVolumeClaim', apiVersion: 'v1' }, 'Normal', 'ProvisioningSucceeded',
          `Successfully provisioned volume ${name}`, COMPONENT);
      } else if (res.status !== 409) {
        expectStatus(res, `volume for claim ${claim.metadata.namespace}/${claim.metadata.name}`);
      }
    }

    for (const pv of volumes.body.items as any[]) {
      if (pv.metadata.annotations?.[SIMULATED] !== 'true' || pv.status?.phase !== 'Released') continue;
      if (pv.spec.persistentVolumeReclaimPolicy !== 'Delete') continue;
      await this.client.request('DELETE', `/api/v1/persistentvolumes/${pv.metadata.name}`);
    }
  }

  /** Why the driver would refuse this claim, if it would. */
  private async refusal(claim: any, sc: any): Promise<string | undefined> {
    const provisioner = Provisioner.fromStorageClass(sc.provisioner, sc.parameters ?? {});
    const volumeMode = claim.spec.volumeMode === 'Block' ? VolumeMode.BLOCK : VolumeMode.FILESYSTEM;
    for (const mode of claim.spec.accessModes ?? []) {
      if (provisioner && !provisioner.supports(mode as AccessMode, volumeMode)) {
        return `failed to provision volume with StorageClass "${sc.metadata.name}": rpc error: code = InvalidArgument desc = ${sc.provisioner} does not support access mode ${mode} with volume mode ${claim.spec.volumeMode ?? 'Filesystem'}`;
      }
    }
    const source = claim.spec.dataSourceRef ?? claim.spec.dataSource;
    if (source?.kind === 'VolumeSnapshot') {
      const snap = await this.client.request('GET', `/apis/snapshot.storage.k8s.io/v1/namespaces/${claim.metadata.namespace}/volumesnapshots/${source.name}`);
      if (snap.status !== 200 || snap.body.status?.readyToUse !== true) {
        return `failed to provision volume with StorageClass "${sc.metadata.name}": error getting handle for DataSource Type VolumeSnapshot by Name ${source.name}: snapshot ${source.name} is not Ready`;
      }
    }
    return undefined;
  }

  private async volumeFor(name: string, claim: any, sc: any, selectedNode: string | undefined): Promise<any> {
    const caps = Provisioner.fromStorageClass(sc.provisioner, sc.parameters ?? {})?.capabilities;
    let nodeAffinity: any;
    if (caps?.nodeLocal || caps?.topologyBound) {
      const node = await this.placement(sc, selectedNode);
      const [key, value] = caps.nodeLocal ? [HOSTNAME, node?.metadata.labels?.[HOSTNAME]] : [ZONE, node?.metadata.labels?.[ZONE] ?? allowedZone(sc)];
      if (value) nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values: [value] }] }] } };
    }
    const volumeMode = claim.spec.volumeMode ?? 'Filesystem';
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name,
        annotations: { [PROVISIONED_BY]: sc.provisioner, [SIMULATED]: 'true' },
      },
      spec: {
        capacity: { storage: claim.spec.resources.requests.storage },
        accessModes: claim.spec.accessModes,
        volumeMode,
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name,
        ...(sc.mountOptions?.length ? { mountOptions: sc.mountOptions } : {}),
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          namespace: claim.metadata.namespace,
          name: claim.metadata.name,
          uid: claim.metadata.uid,
          resourceVersion: claim.metadata.resourceVersion,
        },
        csi: {
          driver: sc.provisioner,
          volumeHandle: name,
          ...(volumeMode === 'Filesystem' ? { fsType: sc.parameters?.['csi.storage.k8s.io/fstype'] ?? 'ext4' } : {}),
          volumeAttributes: { 'storage.kubernetes.io/csiProvisionerIdentity': COMPONENT },
        },
        ...(nodeAffinity ? { nodeAffinity } : {}),
      },
    };
  }

  /** The node a volume goes to: the scheduler's choice, else (Immediate binding) a node the class allows. */
  private async placement(sc: any, selectedNode: string | undefined): Promise<any> {
    if (selectedNode) {
      const res = await this.client.request('GET', `/api/v1/nodes/${selectedNode}`);
      return res.status === 200 ? res.body : undefined;
    }
    const zone = allowedZone(sc);
    const nodes = await this.client.request('GET', `/api/v1/nodes${zone ? `?labelSelector=${encodeURIComponent(`${ZONE}=${zone}`)}` : ''}`);
    const items: any[] = nodes.status === 200 ? nodes.body.items : [];
    return items[Math.floor(Math.random() * items.length)];
  }
}

function allowedZone(sc: any): string | undefined {
  for (const term of sc.allowedTopologies ?? []) {
    for (const e of term.matchLabelExpressions ?? []) {
      if (e.key === ZONE || e.key.endsWith('/zone')) return e.values?.[0];
    }
  }
  return undefined;
}
