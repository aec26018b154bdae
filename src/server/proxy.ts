import type { ServerResponse } from 'node:http';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { apiErrors, StatusError } from '../api/errors/status.js';
import type { ApiGateway, IncomingRequest } from '../api/server/gateway.js';
import type { KubeletDialer } from '../api/server/index.js';
import type { Route } from './routes.js';

const unavailable = (message: string) => new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'ServiceUnavailable', code: 503 } as never);

/** A pod's port by number or by the name of a container port (upstream pod ResourceLocation). */
function podPort(pod: Pod, port: string | undefined): number {
  if (port === undefined || port === '') return 80;
  if (/^\d+$/.test(port)) return Number(port);
  const named = pod.spec?.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === port);
  if (named === undefined) throw apiErrors.badRequest(`no such port name ${JSON.stringify(port)} in pod ${pod.metadata?.name}`);
  return named.containerPort;
}

/**
 * GET pods/<name>[:port]/proxy/<path> and services/[scheme:]<name>[:port]/proxy/<path>
 * (what `kubectl get --raw` and `kubectl proxy` reach): the request goes to
 * the pod's port on its node over the simulated network, and the container's
 * answer comes back as is. A service picks a ready endpoint from its
 * EndpointSlices (upstream service ResourceLocation); none is a 503.
 */
export function proxy(gateway: ApiGateway, route: Route, method: string, authorization: string | undefined, res: ServerResponse, sendError: (res: ServerResponse, e: unknown) => void): void {
  try {
    if (method !== 'GET' && method !== 'HEAD') throw apiErrors.methodNotSupported({ group: '', resource: `${route.resource}/proxy` }, method.toLowerCase());
    const parts = route.name!.split(':');
    const [name, port] = route.resource === 'services' && parts.length === 3 ? [parts[1]!, parts[2]] : [parts[0]!, parts[1]];
    const base = { group: '', version: 'v1', namespace: route.namespace ?? 'default', ...(authorization !== undefined && { authorization }) };
    const admitted = gateway.admit({ ...base, verb: 'get', resource: route.resource!, name, subresource: 'proxy' } as IncomingRequest);
    const read = <T>(resource: string, n?: string, labelSelector?: string) => gateway.api.handle({ ...admitted, verb: n === undefined ? 'list' : 'get', resource, group: resource === 'endpointslices' ? 'discovery.k8s.io' : '', ...(n !== undefined ? { name: n } : { name: undefined }), subresource: undefined, query: labelSelector === undefined ? {} : { labelSelector } } as never).body as T;
    let pod: Pod;
    let target: number;
    if (route.resource === 'pods') {
      pod = read<Pod>('pods', name);
      target = podPort(pod, port);
    } else {
      const svc = read<Service>('services', name);
      const ports = svc.spec?.ports ?? [];
      const sp = port === undefined || port === '' ? ports[0] : ports.find((p) => p.name === port || String(p.port) === port);
      if (sp === undefined) throw apiErrors.badRequest(`no service port ${JSON.stringify(port)} found for service "${name}"`);
      const slices = read<{ items: EndpointSlice[] }>('endpointslices', undefined, `kubernetes.io/service-name=${name}`).items;
      const slicePort = (s: EndpointSlice) => s.ports?.find((p) => (p.name ?? '') === (sp.name ?? ''))?.port;
      const ready = slices.flatMap((s) => s.endpoints.filter((e) => e.conditions?.ready !== false && e.targetRef?.kind === 'Pod').map((e) => ({ e, port: slicePort(s) })));
      const chosen = ready[0];
      if (chosen === undefined || chosen.port === undefined) throw unavailable(`no endpoints available for service "${name}"`);
      pod = read<Pod>('pods', chosen.e.targetRef!.name!);
      target = chosen.port;
    }
    const node = pod.spec?.nodeName;
    const dial: KubeletDialer | undefined = gateway.api.kubeletDialer;
    if (node === undefined || dial === undefined || pod.status?.podIP === undefined) throw unavailable(`pod ${pod.metadata?.name} has no IP yet`);
    const path = `/${route.rest ?? ''}`;
    dial(node, { kind: 'http', namespace: base.namespace, pod: pod.metadata!.name!, uid: pod.metadata!.uid!, port: target, path }, (error, response) => {
      if (error) return sendError(res, unavailable(`error trying to reach service: ${error.message}`));
      if (response!.code !== 200) return sendError(res, unavailable(`error trying to reach service: ${String((response!.status as { message?: string } | undefined)?.message ?? 'unreachable').replace(/ dial tcp [^:]+:/, ` dial tcp ${pod.status!.podIP}:`)}`));
      const body = response!.text ?? '';
      res.writeHead(response!.httpStatus ?? 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(method === 'HEAD' ? undefined : body);
    });
  } catch (e) {
    sendError(res, e);
  }
}

/**
 * GET nodes/<name>[:port]/proxy/<path> (`kubectl get --raw
 * /api/v1/nodes/<node>/proxy/healthz|pods|configz|metrics/resource`): the
 * request goes to the node's kubelet over the simulated network and its
 * answer comes back as is; an unreachable node is upstream's 503.
 */
export function nodeProxy(gateway: ApiGateway, route: Route, method: string, authorization: string | undefined, res: ServerResponse, sendError: (res: ServerResponse, e: unknown) => void): void {
  try {
    if (method !== 'GET' && method !== 'HEAD') throw apiErrors.methodNotSupported({ group: '', resource: 'nodes/proxy' }, method.toLowerCase());
    const name = route.name!.split(':')[0]!;
    const admitted = gateway.admit({ group: '', version: 'v1', verb: 'get', resource: 'nodes', name, subresource: 'proxy', ...(authorization !== undefined && { authorization }) } as IncomingRequest);
    gateway.api.handle({ ...admitted, subresource: undefined } as never);
    const dial: KubeletDialer | undefined = gateway.api.kubeletDialer;
    if (dial === undefined) throw unavailable('no route to kubelets from this API server');
    dial(name, { kind: 'kubeletApi', path: `/${route.rest ?? ''}` } as never, (error, response) => {
      if (error) return sendError(res, unavailable(`error trying to reach service: ${error.message}`));
      const r = response as unknown as { httpStatus: number; text: string; contentType: string };
      res.writeHead(r.httpStatus, { 'Content-Type': r.contentType, 'Content-Length': Buffer.byteLength(r.text) });
      res.end(method === 'HEAD' ? undefined : r.text);
    });
  } catch (e) {
    sendError(res, e);
  }
}
