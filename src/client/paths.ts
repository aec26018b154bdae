import type { IncomingRequest } from '../api/server/index.js';

const METHODS: Record<string, string> = { get: 'GET', list: 'GET', watch: 'GET', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETE' };

/** The REST path of a request: `/api/v1/namespaces/default/pods/web/status`, `/apis/apps/v1/deployments`. */
export function requestPath(r: Pick<IncomingRequest, 'group' | 'version' | 'resource' | 'namespace' | 'name' | 'subresource'>): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns = r.namespace ? `/namespaces/${r.namespace}` : '';
  const name = r.name ? `/${r.name}` : '';
  const sub = r.subresource ? `/${r.subresource}` : '';
  return `${base}${ns}/${r.resource}${name}${sub}`;
}

/** How an HTTP client would describe the request in an error: `Get "https://cp-0:6443/api/v1/pods"`. */
export function describeRequest(server: string, port: string, r: IncomingRequest): string {
  const method = METHODS[r.verb] ?? 'GET';
  const pretty = method.charAt(0) + method.slice(1).toLowerCase();
  const query = r.verb === 'watch' ? '?watch=true' : '';
  return `${pretty} "https://${server}:${port}${requestPath(r)}${query}"`;
}
