import type { IncomingMessage } from 'node:http';
import type { ApiRequest, Verb } from '../api/server/request.js';

/** A REST path taken apart: /api/v1/namespaces/default/pods/web/log → group '', version v1, namespace, resource, name, subresource. */
export interface Route {
  group: string;
  version: string;
  resource?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** What follows the subresource (pods/web/proxy/<path>): the proxied path. */
  rest?: string;
}

/** Parse /api/v1/... and /apis/<group>/<version>/...; undefined for other paths. */
export function parsePath(pathname: string): Route | undefined {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) [group, version, rest] = ['', parts[1]!, parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length >= 3) [group, version, rest] = [parts[1]!, parts[2]!, parts.slice(3)];
  else return undefined;
  const route: Route = { group, version };
  if (rest.length === 0) return route;
  // namespaces/<ns>/<resource>/… is namespaced; namespaces/<name>[/status|finalize] is the Namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    return { ...route, namespace: rest[1]!, resource: rest[2]!, ...(rest[3] !== undefined && { name: rest[3] }), ...(rest[4] !== undefined && { subresource: rest[4] }), ...(rest.length > 5 && { rest: rest.slice(5).join('/') }) };
  }
  return { ...route, resource: rest[0]!, ...(rest[1] !== undefined && { name: rest[1] }), ...(rest[2] !== undefined && { subresource: rest[2] }), ...(rest.length > 3 && { rest: rest.slice(3).join('/') }) };
}

/** The verb a method means on a route (upstream's RequestInfoFactory). */
export function verbOf(method: string, route: Route, watch: boolean): Verb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return route.name === undefined ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name === undefined ? 'deletecollection' : 'delete';
    default:
      return undefined;
  }
}

/** The patch type a Content-Type names. */
export function patchTypeOf(contentType: string | undefined): ApiRequest['patchType'] | undefined {
  const ct = (contentType ?? '').split(';')[0]!.trim();
  if (ct === 'application/json-patch+json') return 'json';
  if (ct === 'application/merge-patch+json') return 'merge';
  if (ct === 'application/strategic-merge-patch+json') return 'strategic';
  if (ct === 'application/apply-patch+yaml' || ct === 'application/apply-patch+cbor') return 'apply';
  return undefined;
}

/** The query parameters the API server understands, typed. */
export function queryOf(params: URLSearchParams): NonNullable<ApiRequest['query']> & { watch?: boolean; follow?: boolean; timeoutSeconds?: number } {
  const q: Record<string, unknown> = {};
  const int = (k: string) => {
    const v = params.get(k);
    if (v !== null && /^-?\d+$/.test(v)) q[k] = Number(v);
  };
  const bool = (k: string) => {
    const v = params.get(k);
    if (v !== null) q[k] = v === 'true' || v === '1' || v === '';
  };
  for (const k of ['labelSelector', 'fieldSelector', 'continue', 'resourceVersion', 'container', 'fieldValidation', 'propagationPolicy', 'fieldManager']) {
    const v = params.get(k);
    if (v !== null) q[k] = v;
  }
  for (const k of ['limit', 'gracePeriodSeconds', 'tailLines', 'sinceSeconds', 'limitBytes', 'timeoutSeconds']) int(k);
  for (const k of ['allowWatchBookmarks', 'previous', 'timestamps', 'watch', 'follow', 'force']) bool(k);
  if (params.getAll('dryRun').includes('All')) q['dryRun'] = true;
  return q as never;
}

/**
 * A request's URL. Its path is taken as is (`//x` is a path here, not a
 * host, as Go's server reads it), so no request target makes URL parsing throw.
 */
export function requestUrl(req: IncomingMessage): URL {
  const target = req.url ?? '/';
  return new URL(`http://localhost${target.startsWith('/') ? target : `/${target}`}`);
}
