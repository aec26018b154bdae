import { jsonEqual } from '../json-clone.js';
import type { ResourceRegistry } from '../registry/registry.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import type { MVCCStore, StoredObject, WriteOp } from '../store/index.js';
import { storeResource } from './keys.js';
import type { ApiRequest } from './request.js';
import type { Reply } from './context.js';

/** The finalizer that holds a CRD until its custom resources are gone (apiextensions.CustomResourceCleanupFinalizer). */
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

const CRDS = 'customresourcedefinitions.apiextensions.k8s.io';
const APISERVER = { name: 'system:apiserver', groups: ['system:masters'] };

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string;
}

type Crd = KubeObject & {
  spec: { group: string; names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] }; versions: Array<{ name: string; storage?: boolean }> };
  status?: { conditions?: Condition[]; acceptedNames?: Record<string, unknown>; storedVersions?: string[] };
};

/** What the CRD controllers need from the API server. */
export interface CrdHost {
  readonly store: MVCCStore;
  readonly registry: ResourceRegistry;
  handleAsync(req: ApiRequest, reply: Reply): void;
  now(): string;
}

const conditionTrue = (crd: Crd, type: string) => (crd.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** Keep a condition's lastTransitionTime unless its status changes (apiextensionshelpers.SetCRDCondition). */
function setCondition(conditions: Condition[], next: Omit<Condition, 'lastTransitionTime'>, now: string): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  const merged: Condition = { ...next, lastTransitionTime: old !== undefined && old.status === next.status ? old.lastTransitionTime : now };
  return old === undefined ? [...conditions, merged] : conditions.map((c) => (c === old ? merged : c));
}

/**
 * The API server's own CRD controllers (apiextensions-apiserver
 * pkg/controller): the registry serves what the stored CRDs define, on every
 * API server (they follow the store); the naming and establishing
 * controllers accept the names; the finalizing controller deletes a CRD's
 * custom resources before the CRD goes.
 */
export class CrdLifecycle {
  constructor(private readonly host: CrdHost) {
    host.store.observe((e) => {
      if (e.resource !== CRDS) return;
      if (e.prevObject !== undefined) host.registry.removeCustomResource(e.prevObject as never);
      if (e.type !== 'DELETED') host.registry.addCustomResource(e.object as never);
    });
  }

  /** After a write this server made: establish new CRDs, and finish deleting terminating ones whose resources are gone. */
  afterCommit(type: ResourceType, ops: readonly WriteOp[], results: readonly StoredObject[]): void {
    if (type.group === 'apiextensions.k8s.io' && type.resource === 'customresourcedefinitions') {
      for (const crd of results as Crd[]) if (crd.metadata?.['deletionTimestamp'] === undefined && ops.some((o) => o.kind !== 'delete')) this.establish(crd);
      return;
    }
    if (type.crd !== undefined && type.terminating === true && ops.some((o) => o.kind === 'delete')) this.finishIfEmpty(type);
  }

  /** NamesAccepted and Established, acceptedNames and storedVersions (naming and establishing controllers). */
  private establish(crd: Crd): void {
    const now = this.host.now();
    const { names } = crd.spec;
    const acceptedNames = { ...names, singular: names.singular ?? names.kind.toLowerCase(), listKind: names.listKind ?? `${names.kind}List` };
    let conditions = setCondition(crd.status?.conditions ?? [], { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }, now);
    conditions = setCondition(conditions, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, now);
    const storage = crd.spec.versions.find((v) => v.storage === true)?.name;
    const stored = crd.status?.storedVersions ?? [];
    const storedVersions = storage === undefined || stored.includes(storage) ? stored : [...stored, storage];
    const status = { ...crd.status, conditions, acceptedNames, storedVersions };
    if (jsonEqual(status, crd.status)) return;
    this.write(crd, { status }, 'status');
  }

  /**
   * DELETE of a CRD: the cleanup finalizer and a Terminating condition go on
   * first, then the ordinary deletion (held by the finalizer), then every
   * custom resource is deleted; the last one's going releases the CRD.
   */
  deleteDefinition(current: Crd, deleteObject: (done: Reply) => void, reply: Reply): void {
    if (current.metadata?.['deletionTimestamp'] !== undefined) return deleteObject(reply);
    const finalizers = [...((current.metadata?.['finalizers'] as string[] | undefined) ?? [])];
    if (!finalizers.includes(CLEANUP_FINALIZER)) finalizers.push(CLEANUP_FINALIZER);
    const conditions = setCondition(current.status?.conditions ?? [], { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }, this.host.now());
    this.write(current, { status: { ...current.status, conditions } }, 'status', () =>
      this.write(current, { metadata: { finalizers } }, undefined, (error) => {
        if (error) return reply(error);
        deleteObject((e, response) => {
          reply(e, response);
          if (!e) this.deleteInstances(current);
        });
      }),
    );
  }

  private deleteInstances(crd: Crd): void {
    const type = this.host.registry.get(crd.spec.group, crd.spec.names.plural);
    if (type === undefined) return;
    const items = this.host.store.list(storeResource(type), {}).items;
    if (items.length === 0) return this.finishIfEmpty(type);
    for (const o of items) {
      const meta = o.metadata ?? {};
      this.host.handleAsync({ verb: 'delete', group: type.group, version: type.version, resource: type.resource, name: String(meta.name), ...(type.namespaced && { namespace: String(meta.namespace) }), user: APISERVER } as ApiRequest, () => {});
    }
  }

  /** The last custom resource is gone: the finalizer comes off and the CRD is deleted. */
  private finishIfEmpty(type: ResourceType): void {
    if (this.host.store.list(storeResource(type), { limit: 1 }).items.length > 0) return;
    const crd = this.host.store.get(CRDS, type.crd!) as Crd | undefined;
    const finalizers = (crd?.metadata?.['finalizers'] as string[] | undefined) ?? [];
    if (crd === undefined || !finalizers.includes(CLEANUP_FINALIZER) || !conditionTrue(crd, 'Terminating')) return;
    this.write(crd, { metadata: { finalizers: finalizers.filter((f) => f !== CLEANUP_FINALIZER) } });
  }

  /** A merge patch by the API server itself, applied to whatever is current. */
  private write(crd: Crd, body: object, subresource?: 'status', done: Reply = () => {}): void {
    this.host.handleAsync(
      { verb: 'patch', patchType: 'merge', group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', name: String(crd.metadata?.name), ...(subresource && { subresource }), body, query: { fieldManager: 'kube-apiserver' }, user: APISERVER } as ApiRequest,
      done,
    );
  }
}
