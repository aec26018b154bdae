import { cloneJson, jsonEqual } from '../json-clone.js';
import { apiErrors, isStatusError } from '../errors/status.js';
import { applyPatch } from '../patch/index.js';
import { mutatingAdmission, SYSTEM_PRIORITY_CLASSES, validatingAdmission } from '../admission/index.js';
import { eventToView } from '../kinds/events-view.js';
import { handleEventsView } from './events-view.js';
import { ResourceRegistry } from '../registry/index.js';
import { atServedVersion, storedApiVersionOf, type KubeObject, type ResourceType } from '../registry/types.js';
import { MVCCStore, StoreError, type StoredObject, type WriteOp } from '../store/index.js';
import { MemoryBackend, type StorageBackend } from '../storage/backend.js';
import { getObject, groupResource, out, resourceOf, storeFailure, type Reply, type ServerContext } from './context.js';
import { deleteCollection, deleteObject, deletesAfterUpdate } from './deletion.js';
import { ServiceAccountTokens } from '../auth/service-account-token.js';
import { CrdLifecycle } from './crd-lifecycle.js';
import { createToken } from './token-request.js';
import { listObjects, predicateOf } from './list.js';
import { nameSuffix, storeKey, storeResource, uuid } from './keys.js';
import { checkNamespaceForCreate, INITIAL_NAMESPACES } from './namespaces.js';
import { prepareCreate, prepareUpdate } from './prepare.js';
import type { ApiRequest, ApiResponse, WatchEventOut, WatchHandle } from './request.js';
import type { ApiService } from './aggregator.js';
import { bindPod, evictPod, readScale, writeScale } from './subresources.js';
import { podLogs, type KubeletDialer } from './kubelet-proxy.js';
import { DEFAULT_EPOCH_MS, rfc3339 } from './time.js';
import { watchResource } from './watch.js';
import { FieldManagement } from './field-management.js';


export interface ApiServerOptions {
  /** The API server host's clock, in virtual ms. */
  now: () => number;
  /** A seeded [0,1) source for uids and generated names. */
  random: () => number;
  /** Where state lives; by default an in-memory store. */
  backend?: StorageBackend;
  store?: MVCCStore;
  registry?: ResourceRegistry;
  /** Virtual time 0 as a wall-clock instant, for timestamps. */
  epochMs?: number;
  /** How to reach kubelets (pod logs); set by the API server's host. */
  kubeletDialer?: KubeletDialer;
  /** The key service account tokens are signed with (shared by a cluster's API servers); a fixed one by default. */
  serviceAccountKey?: Buffer;
}

/**
 * The API server's request handling (upstream k8s.io/apiserver's generic
 * registry over etcd), in process: routing to a resource, defaulting,
 * validation, metadata rules, optimistic concurrency, deletion with grace
 * periods and finalizers, selectors, pagination and watch. Transport,
 * authentication and authorization wrap it.
 */
export class ApiServer implements ServerContext {
  readonly store: MVCCStore;
  readonly backend: StorageBackend;
  readonly registry: ResourceRegistry;
  private readonly clock: () => number;
  private readonly rng: () => number;
  private readonly epochMs: number;
  /** How pod log requests reach kubelets (set by ApiServerHost when none was given). */
  kubeletDialer: KubeletDialer | undefined;
  /** How requests for an aggregated API reach its server (set by ApiServerHost). */
  apiServiceProxy: ((service: ApiService, req: ApiRequest, reply: Reply) => void) | undefined;
  private readonly apiServices = new Map<string, ApiService>();

  constructor(options: ApiServerOptions) {
    this.kubeletDialer = options.kubeletDialer;
    this.backend = options.backend ?? new MemoryBackend(options.store ?? new MVCCStore());
    this.store = this.backend.store;
    this.registry = options.registry ?? new ResourceRegistry();
    this.clock = options.now;
    this.rng = options.random;
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    // Pods are watched by node (every kubelet), so spec.nodeName is indexed.
    this.store.defineIndex('pods', 'spec.nodeName', (o) => String((o['spec'] as { nodeName?: string } | undefined)?.nodeName ?? ''));
    this.serviceAccountTokens = new ServiceAccountTokens(options.serviceAccountKey ?? Buffer.from('crucible service account signing key'));
    this.crds = new CrdLifecycle({ store: this.store, registry: this.registry, handleAsync: (r, reply) => this.handleAsync(r, reply), now: () => rfc3339(this.now()) });
  }

  /** Issues and checks service account tokens (TokenRequest). */
  readonly serviceAccountTokens: ServiceAccountTokens;

  /** The API server's CustomResourceDefinition controllers. */
  private readonly crds: CrdLifecycle;

  now(): number {
    return this.epochMs + this.clock();
  }

  random(): number {
    return this.rng();
  }

  /**
   * Create what a freshly started cluster has once its controllers have run
   * once: the initial namespaces with their `default` ServiceAccount and
   * `kube-root-ca.crt` ConfigMap, and the system PriorityClasses. With the
   * in-memory backend this completes at once; with etcd each step is retried
   * (through `schedule`) until the cluster accepts it.
   */
  bootstrap(schedule?: (delayMs: number, fn: () => void) => void, done?: () => void): void {
    const steps: Array<{ group: string; resource: string; namespace?: string; body: KubeObject }> = [];
    for (const name of INITIAL_NAMESPACES) {
      steps.push({ group: '', resource: 'namespaces', body: { metadata: { name } } });
      steps.push({ group: '', resource: 'serviceaccounts', namespace: name, body: { metadata: { name: 'default' } } });
      steps.push({ group: '', resource: 'configmaps', namespace: name, body: rootCAConfigMap() });
    }
    for (const pc of SYSTEM_PRIORITY_CLASSES) steps.push({ group: 'scheduling.k8s.io', resource: 'priorityclasses', body: { metadata: { name: pc.name }, value: pc.value, description: pc.description } });
    // The `kubernetes` Service the API server keeps for itself (upstream controlplane/controller/kubernetesservice), at the range's first IP.
    steps.push({ group: '', resource: 'services', namespace: 'default', body: { metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } } });
    this.ensureAll(steps, schedule, done);
  }

  /** Create each object unless it exists, in order, retrying failures when a scheduler is given. */
  ensureAll(steps: Array<{ group: string; resource: string; namespace?: string; body: KubeObject }>, schedule?: (delayMs: number, fn: () => void) => void, done?: () => void): void {
    const system = { name: 'system:apiserver', groups: ['system:masters'] };
    const step = (i: number): void => {
      if (i >= steps.length) return done?.();
      const { group, resource, namespace, body } = steps[i]!;
      const type = this.registry.get(group, resource)!;
      if (this.store.get(storeResource(type), storeKey(type, namespace, String(body.metadata?.name))) !== undefined) return step(i + 1);
      this.handleAsync({ verb: 'create', group, version: type.version, resource, ...(namespace !== undefined && { namespace }), body, user: system }, (error) => {
        if (error && !(isStatusError(error) && error.code === 409)) {
          if (schedule === undefined) throw error;
          return schedule(1000, () => step(i));
        }
        step(i + 1);
      });
    };
    step(0);
  }

  /**
   * Serve one request synchronously; failures throw a StatusError. Only for
   * a backend that answers at once (the in-memory one); otherwise use
   * handleAsync.
   */
  handle(req: ApiRequest): ApiResponse {
    let result: { error: unknown; response?: ApiResponse } | undefined;
    this.handleAsync(req, (error, response) => (result = { error, ...(response !== undefined && { response }) }));
    if (result === undefined) throw new Error('this API server\'s storage answers asynchronously: use handleAsync');
    if (result.error) throw result.error;
    return result.response!;
  }

  /**
   * Register an aggregated API (an APIService object's effect): its
   * resources appear in discovery and requests for its group are proxied.
   */
  registerApiService(service: ApiService): void {
    this.apiServices.set(service.group, service);
    for (const r of service.resources) this.registry.add(r);
  }

  /** Serve one request; the reply gets a StatusError or the response. */
  handleAsync(req: ApiRequest, reply: Reply): void {
    const service = this.apiServices.get(req.group);
    if (service !== undefined) {
      try {
        const type = resourceOf(this, req);
        if (!type.verbs.includes(req.verb)) throw apiErrors.methodNotSupported(groupResource(type), req.verb);
        if (this.apiServiceProxy === undefined) throw apiErrors.serviceUnavailable(`the server is currently unable to handle the request (${req.verb === 'list' ? 'get' : req.verb} ${req.resource}.${req.group})`);
      } catch (e) {
        return reply(e);
      }
      return this.apiServiceProxy(service, req, reply);
    }
    // events.k8s.io/v1 is a view of the core Events: translate in, translate out.
    if (req.group === 'events.k8s.io' && req.resource === 'events') return handleEventsView((r, done) => this.handleAsync(r, done), req, reply);
    const attempt = (n: number): void => {
      this.backend.barrier((barrierError) => {
        if (barrierError) return reply(storeFailure(resourceOf(this, req), req.name ?? '', barrierError));
        try {
          this.dispatch(req, (error, response) => {
            // A write computed by the server lost a race: read again and redo it (upstream GuaranteedUpdate).
            if (error instanceof StoreError && error.code === 'Conflict' && !userPrecondition(req) && n < 8) return attempt(n + 1);
            if (error) {
              const type = this.registry.get(req.group, req.resource);
              return reply(type === undefined ? error : storeFailure(type, req.name ?? '', error));
            }
            const type = this.registry.atVersion(req.group, req.version, req.resource);
            const answer = servedVersion(type, response!);
            reply(null, type?.deprecationWarning === undefined ? answer : { ...answer, warnings: [type.deprecationWarning, ...(answer.warnings ?? [])] });
          });
        } catch (e) {
          reply(e);
        }
      });
    };
    attempt(0);
  }



  /** ServerContext.commit: write through the backend. */
  commit(_type: ResourceType, _name: string, ops: WriteOp[], done: (error: unknown, results?: StoredObject[]) => void): void {
    this.backend.commit(ops, (error, results) => {
      if (error) return done(error);
      done(null, results);
      this.crds.afterCommit(_type, ops, results!);
    });
  }

  private dispatch(req: ApiRequest, reply: Reply): void {
    const type = resourceOf(this, req);
    if (!type.verbs.includes(req.verb) && req.subresource === undefined) throw apiErrors.methodNotSupported(groupResource(type), req.verb);
    switch (req.verb) {
      case 'get':
        if (req.subresource === 'scale') return reply(null, { code: 200, body: readScale(this, type, req) });
        if (req.subresource === 'log') return podLogs(this, type, req, this.kubeletDialer, reply);
        // GET of the object's own subresources gives the object; the streaming and proxy ones are served by the transport.
        if (req.subresource !== undefined && !['status', 'ephemeralcontainers', 'resize'].includes(req.subresource)) throw apiErrors.pathNotFound();
        return reply(null, { code: 200, body: out(getObject(this, type, req.namespace, this.nameOf(req))) });
      case 'list':
        return reply(null, { code: 200, body: listObjects(this, type, req) });
      case 'create':
        if (req.subresource === 'binding') return bindPod(this, type, req, reply);
        if (req.subresource === 'token') return createToken(this, this.serviceAccountTokens, type, req, reply);
        if (req.subresource === 'eviction') return evictPod(this, type, req, reply, (r, done) => deleteObject(this, type, r, done));
        return this.create(type, req, reply);
      case 'update':
        return this.update(type, req, req.body, reply);
      case 'patch':
        return this.patch(type, req, reply);
      case 'delete':
        return this.deleteOne(type, req, reply);
      case 'deletecollection':
        return deleteCollection(this, type, req, listObjects(this, type, { ...req, verb: 'list' }), reply, (r, done) => tryTo(() => this.deleteOne(type, r, done), done));
      case 'watch':
        throw apiErrors.badRequest('watch requests are served by watch()');
    }
  }

  /** Watch a resource; events go to `sink` until the handle is stopped. */
  watch(req: ApiRequest, sink: (event: WatchEventOut) => void): WatchHandle {
    if (req.group === 'events.k8s.io' && req.resource === 'events') {
      return this.watch({ ...req, group: '', version: 'v1' }, (e) => sink(e.type === 'ERROR' || e.type === 'BOOKMARK' ? e : { type: e.type, object: eventToView(e.object) }));
    }
    const type = resourceOf(this, req);
    if (this.apiServices.has(req.group) && !type.verbs.includes('watch')) throw apiErrors.methodNotSupported(groupResource(type), 'watch');
    const converted = type.storageVersion !== undefined && type.storageVersion !== type.version ? (e: WatchEventOut) => sink(e.type === 'ERROR' || e.type === 'BOOKMARK' ? e : { ...e, object: atServedVersion(type, e.object) }) : sink;
    return watchResource(this, type, req, predicateOf(type, req), converted);
  }

  /** DELETE of one object; a CRD goes through its cleanup finalizer first (its custom resources are deleted before it). */
  private deleteOne(type: ResourceType, req: ApiRequest, reply: Reply): void {
    if (type.group === 'apiextensions.k8s.io' && type.resource === 'customresourcedefinitions') {
      const current = getObject(this, type, undefined, this.nameOf(req));
      return this.crds.deleteDefinition(current as never, (done) => tryTo(() => deleteObject(this, type, req, done), done), reply);
    }
    deleteObject(this, type, req, reply);
  }

  private nameOf(req: ApiRequest): string {
    if (req.name === undefined || req.name === '') throw apiErrors.badRequest('resource name may not be empty');
    return req.name;
  }

  private create(type: ResourceType, req: ApiRequest, reply: Reply): void {
    const body = req.body as KubeObject;
    const meta = (body?.metadata ?? {}) as { name?: string; generateName?: string };
    if (type.terminating) throw apiErrors.methodNotAllowed(groupResource(type), 'create not allowed while custom resource definition is terminating');
    if (type.namespaced) checkNamespaceForCreate(this, String(req.namespace ?? body?.metadata?.namespace ?? ''), groupResource(type), String(meta.name ?? ''));
    const attempt = (n: number): void => {
      let candidate = body;
      if ((meta.name === undefined || meta.name === '') && meta.generateName) {
        candidate = { ...body, metadata: { ...body.metadata, name: meta.generateName + nameSuffix(() => this.random()) } };
      }
      const namespace = type.namespaced ? String(req.namespace ?? candidate?.metadata?.namespace ?? '') : undefined;
      const admission = (object: KubeObject) => ({ store: this.store, type, object, namespace, random: () => this.random() });
      const warnings: string[] = [];
      const object = prepareCreate(type, candidate, {
        ...(req.namespace !== undefined && { namespace: req.namespace }),
        ...(req.query?.fieldValidation !== undefined && { fieldValidation: req.query.fieldValidation }),
        warnings,
        now: rfc3339(this.now()),
        uid: uuid(() => this.random()),
        mutate: (o) => mutatingAdmission(admission(o)),
        admit: (o) => validatingAdmission(admission(o)),
      });
      this.fields.record(type, req, body, undefined, object, rfc3339(this.now()));
      const withWarnings = (r: ApiResponse): ApiResponse => (warnings.length > 0 ? { ...r, warnings } : r);
      if (req.query?.dryRun) return reply(null, withWarnings({ code: 201, body: object }));
      const name = String(object.metadata!.name);
      this.commit(type, name, [{ kind: 'create', resource: storeResource(type), key: storeKey(type, object.metadata!.namespace, name), object: object as StoredObject }], (error, results) => {
        // upstream retries a generated name that collided (RetryGenerateName)
        if (error instanceof StoreError && error.code === 'KeyExists' && meta.generateName && !meta.name && n < 8) return attempt(n + 1);
        if (error) return reply(storeFailure(type, name, error));
        const stored = results![0]!;
        reply(null, withWarnings({ code: 201, body: out(stored) }));
      });
    };
    attempt(0);
  }

  private update(type: ResourceType, req: ApiRequest, body: unknown, reply: Reply): void {
    const name = this.nameOf(req);
    const old = getObject(this, type, req.namespace, name);
    const sub = req.subresource;
    if (sub === 'scale') return writeScale(this, type, req, old, (o, done) => (this.fields.scaled.add(o as object), this.update(type, { ...req, subresource: undefined }, o, done)), reply);
    if (sub === 'finalize') return this.finalizeNamespace(type, req, old, reply);
    const bodyMeta = ((body as KubeObject | undefined)?.metadata ?? {}) as { resourceVersion?: string; name?: string };
    if (bodyMeta.name !== undefined && bodyMeta.name !== name) {
      throw apiErrors.badRequest(`the name of the object (${bodyMeta.name}) does not match the name on the URL (${name})`);
    }
    const warnings: string[] = [];
    const next = prepareUpdate(type, body, old, { ...(req.namespace !== undefined && { namespace: req.namespace }) }, {
      ...((sub === 'status' || (sub !== undefined && type.strategy.subresourceUpdate?.[sub] !== undefined)) && { subresource: sub }),
      ...(req.query?.fieldValidation !== undefined && { fieldValidation: req.query.fieldValidation }),
      warnings,
    });
    this.fields.record(type, req, body, old, next, rfc3339(this.now()));
    const withWarnings: Reply = (error, response) => reply(error, response !== undefined && warnings.length > 0 ? { ...response, warnings } : response);
    if (req.query?.dryRun) return withWarnings(null, { code: 200, body: next });
    const expected = bodyMeta.resourceVersion ? Number(bodyMeta.resourceVersion) : Number(old.metadata?.['resourceVersion']);
    // An update that changes nothing is not written and keeps its resourceVersion (upstream etcd3 store GuaranteedUpdate compares the encoded bytes).
    if (expected === Number(old.metadata?.['resourceVersion']) && jsonEqual(next, old, (p) => p === 'metadata.resourceVersion')) return withWarnings(null, { code: 200, body: out(old) });
    this.writeBack(type, req.namespace, name, next, expected, withWarnings);
  }

  /** Store an updated object (and delete it in the same transaction if its last finalizer went). */
  private writeBack(type: ResourceType, namespace: string | undefined, name: string, next: KubeObject, expected: number, reply: Reply): void {
    const key = storeKey(type, namespace, name);
    const resource = storeResource(type);
    const ops: WriteOp[] = [{ kind: 'update', resource, key, object: next as StoredObject, expectedRevision: expected }];
    if (deletesAfterUpdate(type, next)) ops.push({ kind: 'delete', resource, key });
    this.commit(type, name, ops, (error, results) => {
      if (error) return reply(error);
      reply(null, { code: 200, body: out(results![results!.length - 1]!) });
    });
  }

  /** PUT namespaces/<name>/finalize: only spec.finalizers changes (the namespace controller's last step). */
  private finalizeNamespace(type: ResourceType, req: ApiRequest, old: KubeObject, reply: Reply): void {
    const finalizers = ((req.body as KubeObject | undefined)?.['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? [];
    const next = cloneJson(old);
    next['spec'] = { ...((next['spec'] as object) ?? {}), finalizers };
    this.writeBack(type, undefined, String(old.metadata?.name), next, Number(old.metadata?.['resourceVersion']), reply);
  }

  private patch(type: ResourceType, req: ApiRequest, reply: Reply): void {
    if (req.patchType === 'apply') {
      const live = this.store.get(storeResource(type), storeKey(type, req.namespace, this.nameOf(req))) as KubeObject | undefined;
      return this.fields.apply(type, req, live, rfc3339(this.now()), (r) => this.create(type, r, reply), (r, body) => this.update(type, r, body, reply));
    }
    const name = this.nameOf(req);
    // A patch applies to the object as the client's version shows it.
    const current = req.subresource === 'scale' ? readScale(this, type, req) : atServedVersion(type, getObject(this, type, req.namespace, name));
    const patched = applyPatch((req.patchType as Exclude<ApiRequest['patchType'], 'apply'>) ?? 'strategic', req.subresource === 'scale' ? 'Scale' : type.kind, current, req.body) as KubeObject;
    // A patch that names a resourceVersion is a precondition; otherwise it applies to what was read.
    const patchedMeta = (patched.metadata ?? {}) as { resourceVersion?: string };
    if (patchedMeta.resourceVersion === undefined || patchedMeta.resourceVersion === current.metadata?.['resourceVersion']) {
      patched.metadata = { ...(patched.metadata ?? {}), resourceVersion: String(current.metadata?.['resourceVersion'] ?? '') } as KubeObject['metadata'];
    }
    this.update(type, req, patched, reply);
  }

  /** Who owns which fields (metadata.managedFields). */
  private readonly fields = new FieldManagement();

}

/** The cluster CA bundle every namespace carries (upstream root-ca-cert-publisher). */
export function rootCAConfigMap(): KubeObject {
  return { metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\nCRUCIBLE-SIMULATED-CLUSTER-CA\n-----END CERTIFICATE-----\n' } };
}

/** An answer at the version the client asked for (objects are stored at the storage version; list items convert one by one). */
function servedVersion(type: ResourceType | undefined, response: ApiResponse): ApiResponse {
  if (type?.storageVersion === undefined || type.storageVersion === type.version) return response;
  const body = response.body as KubeObject | undefined;
  if (body === undefined || typeof body !== 'object') return response;
  if (Array.isArray(body['items']) && type.conversion !== undefined) {
    const stored = storedApiVersionOf(type);
    const items = (body['items'] as KubeObject[]).map((item) => {
      const { apiVersion: _a, kind: _k, ...rest } = type.conversion!.fromStorage({ ...item, apiVersion: stored, kind: type.kind });
      return rest;
    });
    return { ...response, body: { ...body, items } };
  }
  return body.apiVersion !== undefined ? { ...response, body: atServedVersion(type, body) } : response;
}

/** Run a step whose synchronous throw is an error for its callback. */
function tryTo(step: () => void, reply: Reply): void {
  try {
    step();
  } catch (e) {
    reply(e);
  }
}

/** Did the client pin a resourceVersion itself (then a conflict is the answer, not a retry)? */
function userPrecondition(req: ApiRequest): boolean {
  if (req.preconditions?.resourceVersion !== undefined) return true;
  const rv = ((req.body as KubeObject | undefined)?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  return (req.verb === 'update' || req.verb === 'patch') && rv !== undefined && rv !== '';
}
