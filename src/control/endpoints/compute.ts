import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isPodReady } from '../pod-util.js';

/** upstream endpointslice MaxEndpointsPerSlice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/**
 * The pod's port for a service port (upstream podutil.FindPort): a number
 * as is; a name from the pod's named container ports (undefined if none).
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
  return undefined;
}

/** upstream ShouldPodBeInEndpoints: an IP, not finished, and (unless asked) not being deleted. */
export function shouldBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if ((pod.status?.podIP ?? '') === '') return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp !== undefined) return false;
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  return true;
}

const targetRef = (pod: Pod) => ({ kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' });

/** A pod's hostname in a headless service's DNS (spec.hostname when spec.subdomain names the service). */
function hostnameFor(pod: Pod, service: Service): string | undefined {
  const h = pod.spec?.hostname;
  return h !== undefined && h !== '' && pod.spec?.subdomain === service.metadata?.name ? h : undefined;
}

/**
 * The Endpoints object's subsets (upstream pkg/controller/endpoint
 * syncService, then RepackSubsets): each selected pod with an IP, under
 * `addresses` when ready (or publishNotReadyAddresses) and `notReadyAddresses`
 * otherwise, grouped by the ports it resolves.
 */
export function endpointSubsets(service: Service, pods: readonly Pod[]): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  const publish = service.spec?.publishNotReadyAddresses === true;
  const sorted = [...pods].sort((a, b) => ((a.status?.podIP ?? '') < (b.status?.podIP ?? '') ? -1 : 1));
  for (const pod of sorted) {
    if (!shouldBeInEndpoints(pod, false)) continue;
    const address: EndpointAddress = { ip: pod.status!.podIP!, ...(pod.spec?.nodeName !== undefined && { nodeName: pod.spec.nodeName }), targetRef: targetRef(pod), ...(hostnameFor(pod, service) !== undefined && { hostname: hostnameFor(pod, service)! }) };
    const ports: EndpointPort[] = [];
    for (const sp of service.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ ...(sp.name !== undefined && sp.name !== '' && { name: sp.name }), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol !== undefined && { appProtocol: sp.appProtocol }) });
    }
    if ((service.spec?.ports ?? []).length > 0 && ports.length === 0) continue;
    const key = JSON.stringify(ports);
    if (!groups.has(key)) groups.set(key, { ports, ready: [], notReady: [] });
    const g = groups.get(key)!;
    (publish || isPodReady(pod) ? g.ready : g.notReady).push(address);
  }
  return [...groups.values()].map((g) => ({
    ...(g.ready.length > 0 && { addresses: g.ready }),
    ...(g.notReady.length > 0 && { notReadyAddresses: g.notReady }),
    ...(g.ports.length > 0 && { ports: g.ports }),
  }));
}

/**
 * The endpoints of a Service as EndpointSlices (upstream
 * pkg/controller/endpointslice): one endpoint per pod with an IP — ready,
 * serving and terminating conditions (a terminating pod is never ready
 * unless publishNotReadyAddresses), node, zone and target — grouped by
 * the ports they resolve, at most 100 per slice.
 */
export function endpointSlices(service: Service, pods: readonly Pod[], zoneOf: (node: string) => string | undefined): Array<Pick<EndpointSlice, 'addressType' | 'endpoints' | 'ports'>> {
  const publish = service.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointSlice['ports']; endpoints: Endpoint[] }>();
  const sorted = [...pods].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  for (const pod of sorted) {
    if (!shouldBeInEndpoints(pod, true)) continue;
    const ports = (service.spec?.ports ?? []).flatMap((sp) => {
      const port = findPort(pod, sp);
      return port === undefined ? [] : [{ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol !== undefined && { appProtocol: sp.appProtocol }) }];
    });
    const terminating = pod.metadata?.deletionTimestamp !== undefined;
    const serving = publish || isPodReady(pod);
    const ready = serving && (!terminating || publish);
    const node = pod.spec?.nodeName;
    const zone = node === undefined ? undefined : zoneOf(node);
    const endpoint: Endpoint = {
      addresses: [pod.status!.podIP!],
      conditions: { ready, serving, terminating },
      ...(hostnameFor(pod, service) !== undefined && { hostname: hostnameFor(pod, service)! }),
      targetRef: targetRef(pod),
      ...(node !== undefined && { nodeName: node }),
      ...(zone !== undefined && { zone }),
    };
    const key = JSON.stringify(ports);
    if (!groups.has(key)) groups.set(key, { ports, endpoints: [] });
    groups.get(key)!.endpoints.push(endpoint);
  }
  const out: Array<Pick<EndpointSlice, 'addressType' | 'endpoints' | 'ports'>> = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) out.push({ addressType: 'IPv4', endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE), ports: g.ports ?? [] });
  }
  // upstream keeps one placeholder slice, without endpoints or ports, for a Service with no endpoints.
  if (out.length === 0) out.push({ addressType: 'IPv4', endpoints: [] });
  return out;
}
