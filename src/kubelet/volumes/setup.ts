import type { DownwardAPIVolumeFile, KeyToPath, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { MemoryFs } from '../../workloads/sh/fs.js';
import { decode, fieldValue, type EnvSources } from '../env.js';
import type { CachedObject } from '../object-cache.js';

export type VolumeSetup =
  | { volumes: Map<string, MemoryFs> }
  /** A plugin's SetUp failed (MountVolume.SetUp failed …). */
  | { failed: { volume: string; message: string } }
  /** Volumes the volume manager could not even add (a claim missing, unbound, being deleted). */
  | { unprocessed: Array<{ volume: string; message: string }> }
  | 'pending';

/** What volumes are made from: ConfigMaps and Secrets, claims and their PersistentVolumes, and the storage behind those. */
export interface VolumeSources extends EnvSources {
  claim?(namespace: string, name: string): CachedObject;
  persistentVolume?(name: string): CachedObject;
  /** The data of a PersistentVolume: it outlives every pod that mounts it. */
  storage?(persistentVolume: string): MemoryFs;
  /** Whether making a directory on the node's disk fails now (the errno text). */
  directoryError?(): string | undefined;
}

class MountError extends Error {}
class ProcessError extends Error {}
class Pending extends Error {}

/**
 * A claim's PersistentVolume, or why the volume manager cannot use it
 * (upstream volumemanager/populator desired_state_of_world_populator.go
 * getPVCExtractPV and getPVSpec, wrapped as createVolumeSpec does).
 */
function claimedVolume(sources: VolumeSources, namespace: string, claimName: string): string {
  const fail = (why: string) => new ProcessError(`error processing PVC ${namespace}/${claimName}: ${why}`);
  const pvc = sources.claim?.(namespace, claimName) ?? 'missing';
  if (pvc === 'pending') throw new Pending();
  if (pvc === 'missing') throw fail(`failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`);
  const meta = pvc.metadata as { deletionTimestamp?: string; uid?: string } | undefined;
  if (meta?.deletionTimestamp !== undefined) throw fail('PVC is being deleted');
  if ((pvc['status'] as { phase?: string } | undefined)?.phase !== 'Bound') throw fail('PVC is not bound');
  const pvName = (pvc['spec'] as { volumeName?: string } | undefined)?.volumeName ?? '';
  if (pvName === '') throw fail('PVC has empty pvc.Spec.VolumeName');
  const pv = sources.persistentVolume?.(pvName) ?? 'missing';
  if (pv === 'pending') throw new Pending();
  if (pv === 'missing') throw fail(`failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`);
  const claimRef = (pv['spec'] as { claimRef?: { uid?: string } } | undefined)?.claimRef;
  if (claimRef === undefined) throw fail(`found PV object ${pvName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`);
  if (claimRef.uid !== meta?.uid) throw fail(`found PV object ${pvName} but its pv.Spec.ClaimRef.UID ${claimRef.uid ?? ''} does not point to claim.UID ${meta?.uid ?? ''}`);
  return pvName;
}

/** A service account token as the projected volume holds it (a JWT's shape; nothing checks it inside the simulation). */
const TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImNydWNpYmxlIn0.eyJpc3MiOiJodHRwczovL2t1YmVybmV0ZXMuZGVmYXVsdC5zdmMifQ.c2ltdWxhdGVk';

function writeFile(fs: MemoryFs, path: string, content: string): void {
  const p = MemoryFs.normalise(path);
  fs.mkdir(p.slice(0, p.lastIndexOf('/')) || '/', true);
  fs.write(p, content);
}

/** configMap and secret data into files: every key, or the listed items (upstream volume/configmap MakePayload). */
function project(fs: MemoryFs, kind: 'configmap' | 'secret', data: Record<string, string>, items: readonly KeyToPath[] | undefined, optional: boolean | undefined): void {
  const value = (k: string) => (kind === 'secret' ? decode(data[k]!) : data[k]!);
  if (items === undefined || items.length === 0) {
    for (const k of Object.keys(data)) writeFile(fs, k, value(k));
    return;
  }
  for (const item of items) {
    if (data[item.key] === undefined) {
      if (optional === true) continue;
      throw new MountError(`${kind} references non-existent ${kind === 'secret' ? 'secret' : 'config'} key: ${item.key}`);
    }
    writeFile(fs, item.path, value(item.key));
  }
}

function source(kind: 'configmap' | 'secret', name: string, read: () => ReturnType<EnvSources['configMap']>, optional: boolean | undefined): Record<string, string> | undefined {
  const data = read();
  if (data === 'pending') throw new Pending();
  if (data === 'missing') {
    if (optional === true) return undefined;
    throw new MountError(`${kind} "${name}" not found`);
  }
  return data;
}

function downward(fs: MemoryFs, pod: Pod, items: readonly DownwardAPIVolumeFile[], podIP: string, hostIP: string): void {
  for (const item of items) {
    const path = item.fieldRef?.fieldPath;
    if (path === undefined) continue;
    const m = pod.metadata ?? {};
    // downwardapi volume: labels and annotations as key="value" lines, sorted
    const map = path === 'metadata.labels' ? m.labels : path === 'metadata.annotations' ? m.annotations : undefined;
    const text = map !== undefined ? Object.keys(map).sort().map((k) => `${k}=${JSON.stringify(map[k])}`).join('\n') : (fieldValue(pod, path, podIP, hostIP) ?? '');
    writeFile(fs, item.path, text);
  }
}

function setUp(pod: Pod, v: Volume, sources: VolumeSources, podIP: string, hostIP: string): MemoryFs {
  const ns = pod.metadata?.namespace ?? 'default';
  if (v.persistentVolumeClaim !== undefined) {
    const pv = claimedVolume(sources, ns, v.persistentVolumeClaim.claimName);
    return sources.storage?.(pv) ?? new MemoryFs(true);
  }
  if (v.emptyDir !== undefined && v.emptyDir.medium !== 'Memory') {
    // emptyDir plugin SetUpAt: the volume is a directory under the pod's on the node's disk.
    const error = sources.directoryError?.();
    if (error !== undefined) throw new MountError(`mkdir /var/lib/kubelet/pods/${pod.metadata?.uid ?? ''}/volumes/kubernetes.io~empty-dir/${v.name}: ${error}`);
  }
  const fs = new MemoryFs(true);
  /** A ConfigMap's or Secret's keys as files: the same for a plain volume and a projected source. */
  const object = (kind: 'configmap' | 'secret', name: string | undefined, items: readonly KeyToPath[] | undefined, optional: boolean | undefined): void => {
    const n = name ?? '';
    const data = source(kind, n, () => (kind === 'configmap' ? sources.configMap(ns, n) : sources.secret(ns, n)), optional);
    if (data !== undefined) project(fs, kind, data, items, optional);
  };
  if (v.configMap !== undefined) object('configmap', v.configMap.name, v.configMap.items, v.configMap.optional);
  else if (v.secret !== undefined) object('secret', v.secret.secretName, v.secret.items, v.secret.optional);
  else if (v.downwardAPI !== undefined) downward(fs, pod, v.downwardAPI.items ?? [], podIP, hostIP);
  else if (v.projected !== undefined) {
    for (const s of v.projected.sources ?? []) {
      if (s.configMap !== undefined) object('configmap', s.configMap.name, s.configMap.items, s.configMap.optional);
      else if (s.secret !== undefined) object('secret', s.secret.name, s.secret.items, s.secret.optional);
      else if (s.downwardAPI !== undefined) downward(fs, pod, s.downwardAPI.items ?? [], podIP, hostIP);
      else if (s.serviceAccountToken !== undefined) writeFile(fs, s.serviceAccountToken.path, TOKEN);
    }
  }
  // emptyDir and hostPath start empty.
  return fs;
}

/**
 * The volume manager's mount step for a pod (upstream
 * pkg/kubelet/volumemanager and the configMap, secret, downwardAPI and
 * projected plugins): every volume becomes a filesystem the containers
 * share; an emptyDir lives as long as the pod, so one already set up is
 * kept; a claim mounts its PersistentVolume's storage, which outlives the
 * pod. A missing object or key fails with the plugin's text, and a claim
 * that cannot be used with the populator's; the kubelet reports both as
 * `FailedMount`.
 */
export function setUpVolumes(pod: Pod, sources: VolumeSources, existing: ReadonlyMap<string, MemoryFs>, podIP: string, hostIP: string): VolumeSetup {
  const volumes = new Map<string, MemoryFs>();
  const unprocessed: Array<{ volume: string; message: string }> = [];
  for (const v of pod.spec?.volumes ?? []) {
    const kept = existing.get(v.name);
    if (kept !== undefined) {
      volumes.set(v.name, kept);
      continue;
    }
    try {
      volumes.set(v.name, setUp(pod, v, sources, podIP, hostIP));
    } catch (e) {
      if (e instanceof Pending) return 'pending';
      if (e instanceof ProcessError) unprocessed.push({ volume: v.name, message: e.message });
      else if (e instanceof MountError) return { failed: { volume: v.name, message: e.message } };
      else throw e;
    }
  }
  return unprocessed.length > 0 ? { unprocessed } : { volumes };
}
