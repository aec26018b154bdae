import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { tryParseQuantity } from '../../api/quantity.js';
import type { KubeObject } from '../../api/registry/types.js';
import { DEFAULT_EPOCH_MS } from '../../api/server/time.js';
import { EventRecorder, Informer, WorkQueue, type ApiClient, type ClientRequest } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';
import { runActions } from '../runtime.js';

/** The provisioner Crucible simulates: any StorageClass naming it gets volumes on demand. */
export const SIMULATED_PROVISIONER = 'crucible.dev/simulated';

const bytes = (q: string | undefined) => tryParseQuantity(q)?.value ?? 0;
const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * Whether a PV can serve a claim (upstream persistentvolume index
 * findMatchingVolume): same class, every requested access mode, enough
 * capacity, same volume mode, free or pre-bound to this claim.
 */
export function volumeMatches(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  if (pv.metadata?.deletionTimestamp !== undefined) return false;
  const ref = pv.spec?.claimRef;
  if (ref !== undefined && (ref.namespace !== pvc.metadata?.namespace || ref.name !== pvc.metadata?.name || (ref.uid !== undefined && ref.uid !== pvc.metadata?.uid))) return false;
  if (ref === undefined && pv.status?.phase !== undefined && pv.status.phase !== 'Available') return false;
  if ((pv.spec?.storageClassName ?? '') !== (pvc.spec?.storageClassName ?? '')) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = pv.spec?.accessModes ?? [];
  if (!(pvc.spec?.accessModes ?? []).every((m) => modes.includes(m))) return false;
  return bytes(pv.spec?.capacity?.['storage']) >= bytes(pvc.spec?.resources?.requests?.['storage']);
}

/**
 * The PersistentVolume controller with a simulated external provisioner
 * (upstream pkg/controller/volume/persistentvolume and the CSI
 * external-provisioner): an unbound claim is bound to the smallest
 * matching Available PV (claimRef on the PV, volumeName on the claim, both
 * Bound, `pv.kubernetes.io/bind-completed`); with no match and a class
 * naming the simulated provisioner, a PV `pvc-<claim uid>` is provisioned
 * — at once for Immediate classes, once a pod using the claim is on a node
 * for WaitForFirstConsumer (`ProvisioningSucceeded`); a claim with nothing to
 * bind waits (`FailedBinding` "no persistent volumes available for this
 * claim and no storage class is set").
 */
export class PersistentVolumeController {
  private readonly claims: Informer;
  private readonly volumes: Informer;
  private readonly classes: Informer;
  private readonly pods: Informer;
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.claims = new Informer(host, client, { group: '', version: 'v1', resource: 'persistentvolumeclaims' });
    this.volumes = new Informer(host, client, { group: '', version: 'v1', resource: 'persistentvolumes' });
    this.classes = new Informer(host, client, { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    this.queue = new WorkQueue(host);
    this.recorder = new EventRecorder(host, client, { component: 'persistentvolume-controller' }, { epochMs: options.epochMs ?? DEFAULT_EPOCH_MS });
    const all = () => {
      for (const c of this.claims.list()) if ((c as PersistentVolumeClaim).status?.phase !== 'Bound') this.queue.add(keyOf(c));
    };
    this.claims.addEventHandler({ onAdd: (o) => this.queue.add(keyOf(o)), onUpdate: (_o, n) => this.queue.add(keyOf(n)) });
    this.volumes.addEventHandler({ onAdd: all, onUpdate: all });
    this.classes.addEventHandler({ onAdd: all });
    this.pods.addEventHandler({ onAdd: all, onUpdate: all });
  }

  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    for (const i of [this.claims, this.volumes, this.classes, this.pods]) i.start();
    this.queue.run(1, (key, done) => this.sync(key, done));
  }

  private sync(key: string, done: () => void): void {
    const [ns, name] = key.split('/') as [string, string];
    const pvc = this.claims.get(ns, name) as PersistentVolumeClaim | undefined;
    if (pvc === undefined || pvc.status?.phase === 'Bound' || !this.volumes.hasSynced || !this.classes.hasSynced) return done();
    const finish = (actions: ClientRequest[]) =>
      runActions(this.client, actions, (error) => {
        if (error !== null) this.queue.addRateLimited(key);
        done();
      });
    const volumes = this.volumes.list() as PersistentVolume[];
    const wanted = pvc.spec?.volumeName;
    const candidates = volumes.filter((pv) => (wanted === undefined || wanted === '' || pv.metadata?.name === wanted) && volumeMatches(pv, pvc)).sort((a, b) => bytes(a.spec?.capacity?.['storage']) - bytes(b.spec?.capacity?.['storage']));
    const pv = candidates.find((v) => v.spec?.claimRef !== undefined) ?? candidates[0];
    if (pv !== undefined) return finish(this.bind(pv, pvc));
    const className = pvc.spec?.storageClassName ?? '';
    const sc = className === '' ? undefined : (this.classes.get(className) as StorageClass | undefined);
    if (sc === undefined) {
      this.recorder.event(pvc as KubeObject, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return done();
    }
    if (sc.provisioner !== SIMULATED_PROVISIONER) {
      this.recorder.event(pvc as KubeObject, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
      return done();
    }
    let node: string | undefined;
    if (sc.volumeBindingMode === 'WaitForFirstConsumer') {
      const consumer = (this.pods.list() as Pod[]).find((p) => p.metadata?.namespace === ns && (p.spec?.nodeName ?? '') !== '' && (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === name));
      if (consumer === undefined) {
        this.recorder.event(pvc as KubeObject, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
        return done();
      }
      node = consumer.spec!.nodeName!;
    }
    const volume: PersistentVolume = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: `pvc-${pvc.metadata?.uid ?? ''}`, annotations: { 'pv.kubernetes.io/provisioned-by': SIMULATED_PROVISIONER } },
      spec: {
        capacity: { storage: pvc.spec?.resources?.requests?.['storage'] ?? '1Gi' },
        accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: className,
        volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
        hostPath: { path: `/var/lib/crucible/volumes/pvc-${pvc.metadata?.uid ?? ''}` },
        claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: ns, name, uid: pvc.metadata?.uid ?? '' },
        ...(node !== undefined && { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } }),
      },
    };
    this.client.request({ verb: 'create', group: '', version: 'v1', resource: 'persistentvolumes', body: volume as KubeObject }, (error) => {
      if (error === null || ('code' in error && error.code === 409)) this.recorder.event(pvc as KubeObject, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${volume.metadata!.name}`);
      else this.queue.addRateLimited(key);
      done();
    });
  }

  /** upstream bindVolumeToClaim then bindClaimToVolume, each with its status. */
  private bind(pv: PersistentVolume, pvc: PersistentVolumeClaim): ClientRequest[] {
    const pvName = pv.metadata?.name ?? '';
    const ns = pvc.metadata?.namespace ?? '';
    const name = pvc.metadata?.name ?? '';
    const claimRef = { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: ns, name, uid: pvc.metadata?.uid ?? '', resourceVersion: pvc.metadata?.resourceVersion ?? '' };
    return [
      { verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'persistentvolumes', name: pvName, body: { metadata: { annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } }, spec: { claimRef } } },
      { verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'persistentvolumes', name: pvName, subresource: 'status', body: { status: { phase: 'Bound' } } },
      { verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'persistentvolumeclaims', namespace: ns, name, body: { metadata: { annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' } }, spec: { volumeName: pvName } } },
      { verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'persistentvolumeclaims', namespace: ns, name, subresource: 'status', body: { status: { phase: 'Bound', accessModes: pv.spec?.accessModes ?? [], capacity: pv.spec?.capacity ?? {} } } },
    ];
  }
}
