import { jsonEqual } from '../../api/json-clone.js';
import type { Endpoints, Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { selectorFromSet } from '../../api/labels/index.js';
import type { KubeObject } from '../../api/registry/types.js';
import { DEFAULT_EPOCH_MS, rfc3339 } from '../../api/server/time.js';
import { Informer, WorkQueue, type ApiClient, type ClientRequest } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';
import { runActions } from '../runtime.js';
import { endpointSlices, endpointSubsets } from './compute.js';

const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const CONTROLLER = 'endpointslice-controller.k8s.io';
const SERVICE_NAME = 'kubernetes.io/service-name';
const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const labelsOf = (o: KubeObject): Record<string, string> => (o.metadata?.labels ?? {}) as Record<string, string>;

/**
 * The Endpoints and EndpointSlice controllers (upstream
 * pkg/controller/endpoint and pkg/controller/endpointslice) as one loop
 * over Services with a selector: the pods the selector picks become the
 * Service's Endpoints (ready and not-ready addresses) and its
 * EndpointSlices (ready/serving/terminating conditions), rewritten only
 * when they change. A Service without a selector is left to its owner.
 */
export class EndpointsController {
  private readonly services: Informer;
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly endpoints: Informer;
  private readonly slices: Informer;
  readonly queue: WorkQueue;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.services = new Informer(host, client, { group: '', version: 'v1', resource: 'services' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    this.nodes = new Informer(host, client, { group: '', version: 'v1', resource: 'nodes' });
    this.endpoints = new Informer(host, client, { group: '', version: 'v1', resource: 'endpoints' });
    this.slices = new Informer(host, client, { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
    this.pods.addIndexer('namespace', (o) => [o.metadata?.namespace ?? '']);
    this.services.addIndexer('namespace', (o) => [o.metadata?.namespace ?? '']);
    this.slices.addIndexer('service', (o) => [`${o.metadata?.namespace ?? ''}/${labelsOf(o)[SERVICE_NAME] ?? ''}`]);
    this.queue = new WorkQueue(host);
    const enqueue = (o: KubeObject) => this.queue.add(keyOf(o));
    this.services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const podChanged = (o: KubeObject) => {
      for (const s of this.services.byIndex('namespace', o.metadata?.namespace ?? '')) {
        const selector = (s as Service).spec?.selector;
        if (selector !== undefined && selectorFromSet(selector).matches(labelsOf(o))) this.queue.add(keyOf(s));
      }
    };
    this.pods.addEventHandler({ onAdd: podChanged, onUpdate: (old, n) => (podChanged(old), podChanged(n)), onDelete: podChanged });
  }

  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    for (const i of [this.services, this.pods, this.nodes, this.endpoints, this.slices]) i.start();
    this.queue.run(5, (key, done) => this.sync(key, done));
  }

  private sync(key: string, done: () => void): void {
    if (!this.pods.hasSynced || !this.endpoints.hasSynced || !this.slices.hasSynced) {
      this.queue.addAfter(key, 100);
      return done();
    }
    const [ns, name] = key.split('/') as [string, string];
    const service = this.services.get(ns, name) as Service | undefined;
    const existingSlices = this.slices.byIndex('service', key).filter((s) => labelsOf(s)[MANAGED_BY] === CONTROLLER) as unknown as EndpointSlice[];
    const existing = this.endpoints.get(ns, name) as Endpoints | undefined;
    const actions: ClientRequest[] = [];
    if (service === undefined) {
      if (existing !== undefined) actions.push({ verb: 'delete', group: '', version: 'v1', resource: 'endpoints', namespace: ns, name });
      for (const s of existingSlices) actions.push({ verb: 'delete', group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespace: ns, name: s.metadata?.name ?? '' });
      return this.apply(key, actions, done);
    }
    const selector = service.spec?.selector;
    if (selector === undefined || service.spec?.type === 'ExternalName') return done();
    const match = selectorFromSet(selector);
    const pods = (this.pods.byIndex('namespace', ns) as Pod[]).filter((p) => match.matches(p.metadata?.labels ?? {}));
    actions.push(...this.endpointsActions(service, pods, existing));
    actions.push(...this.sliceActions(service, pods, existingSlices));
    this.apply(key, actions, done);
  }

  private apply(key: string, actions: ClientRequest[], done: () => void): void {
    runActions(this.client, actions, (error) => {
      if (error !== null) this.queue.addRateLimited(key);
      else this.queue.forget(key);
      done();
    });
  }

  private endpointsActions(service: Service, pods: Pod[], existing: Endpoints | undefined): ClientRequest[] {
    const ns = service.metadata?.namespace ?? '';
    const name = service.metadata?.name ?? '';
    const subsets = endpointSubsets(service, pods);
    const labels: Record<string, string> = { ...(service.metadata?.labels ?? {}), ...(service.spec?.clusterIP === 'None' && { 'service.kubernetes.io/headless': '' }) };
    if (existing !== undefined && jsonEqual(existing.subsets ?? [], subsets) && jsonEqual(existing.metadata?.labels ?? {}, labels)) return [];
    const body: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(existing?.metadata ?? { name, namespace: ns }), labels, annotations: { ...(existing?.metadata?.annotations ?? {}), 'endpoints.kubernetes.io/last-change-trigger-time': rfc3339(this.epochMs + this.host.clock.now()) } },
      ...(subsets.length > 0 && { subsets }),
    };
    return [{ verb: existing === undefined ? 'create' : 'update', group: '', version: 'v1', resource: 'endpoints', namespace: ns, ...(existing !== undefined && { name }), body: body as KubeObject }];
  }

  private sliceActions(service: Service, pods: Pod[], existing: EndpointSlice[]): ClientRequest[] {
    const ns = service.metadata?.namespace ?? '';
    const name = service.metadata?.name ?? '';
    const zoneOf = (node: string) => (this.nodes.get(node) as Node | undefined)?.metadata?.labels?.['topology.kubernetes.io/zone'];
    const wanted = endpointSlices(service, pods, zoneOf);
    const labels = { ...(service.metadata?.labels ?? {}), [SERVICE_NAME]: name, [MANAGED_BY]: CONTROLLER };
    const owner = { apiVersion: 'v1', kind: 'Service', name, uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
    const sorted = [...existing].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
    const actions: ClientRequest[] = [];
    wanted.forEach((w, i) => {
      const cur = sorted[i];
      const body = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', ...w };
      if (cur === undefined) {
        actions.push({ verb: 'create', group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespace: ns, body: { ...body, metadata: { generateName: `${name}-`, namespace: ns, labels, ownerReferences: [owner] } } as KubeObject });
        return;
      }
      const same = jsonEqual({ e: cur.endpoints ?? [], p: cur.ports ?? [], l: cur.metadata?.labels }, { e: w.endpoints, p: w.ports ?? [], l: labels });
      if (!same) actions.push({ verb: 'update', group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespace: ns, name: cur.metadata?.name ?? '', body: { ...cur, ...body, metadata: { ...cur.metadata, labels } } as KubeObject });
    });
    for (const extra of sorted.slice(wanted.length)) actions.push({ verb: 'delete', group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespace: ns, name: extra.metadata?.name ?? '' });
    return actions;
  }
}
