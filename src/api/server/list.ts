import { apiErrors } from '../errors/status.js';
import { checkFieldSelector, parseFieldSelector, selectableFields } from '../fields/index.js';
import { parseSelector, SelectorParseError } from '../labels/index.js';
import { apiVersionOf, type KubeObject, type ResourceType } from '../registry/types.js';
import type { StoredObject } from '../store/index.js';
import { outShared, storeFailure, type ServerContext } from './context.js';
import { storeResource } from './keys.js';
import type { ApiRequest } from './request.js';

/** The label, field and namespace filter of a list or watch. */
export function predicateOf(type: ResourceType, req: ApiRequest): (o: StoredObject) => boolean {
  let labels;
  try {
    labels = parseSelector(req.query?.labelSelector ?? '');
  } catch (e) {
    if (e instanceof SelectorParseError) throw apiErrors.badRequest(`unable to parse requirement: ${e.message}`);
    throw e;
  }
  const fields = parseFieldSelector(req.query?.fieldSelector ?? '');
  checkFieldSelector(type.resource, fields);
  const namespace = type.namespaced && req.namespace ? req.namespace : undefined;
  return (o) => {
    const meta = o.metadata ?? {};
    if (namespace !== undefined && meta.namespace !== namespace) return false;
    if (!labels.empty && !labels.matches(meta['labels'] as Record<string, string> | undefined)) return false;
    return fields.empty || fields.matches(selectableFields(type.resource, o as never, type.namespaced));
  };
}

/** LIST: the matching objects at a resourceVersion, in pages (limit/continue) as upstream's etcd3 store pages them. */
export function listObjects(ctx: ServerContext, type: ResourceType, req: ApiRequest): KubeObject {
  const filter = predicateOf(type, req);
  const rv = req.query?.resourceVersion;
  let continueAfter: string | undefined;
  let atRevision: number | undefined = rv !== undefined && rv !== '' && rv !== '0' ? Number(rv) : undefined;
  if (req.query?.continue) {
    const token = decodeContinue(req.query.continue);
    continueAfter = token.start;
    atRevision = token.rv;
  }
  let result;
  try {
    result = ctx.store.list(storeResource(type), {
      ...(atRevision !== undefined && { atRevision }),
      ...(type.namespaced && req.namespace && { keyPrefix: `${req.namespace}/` }),
      ...(continueAfter !== undefined && { continueAfter }),
      ...(req.query?.limit !== undefined && req.query.limit > 0 && { limit: req.query.limit }),
      filter,
    });
  } catch (e) {
    const failure = storeFailure(type, '', e);
    // upstream: an expired continue token is 410 with this message
    if (req.query?.continue && (failure as { code?: number }).code === 410) {
      throw apiErrors.resourceExpired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
    }
    throw failure;
  }
  const metadata: Record<string, unknown> = { resourceVersion: String(result.revision) };
  if (result.continueAfter !== undefined) metadata['continue'] = encodeContinue(result.revision, result.continueAfter);
  return {
    kind: `${type.kind}List`,
    apiVersion: apiVersionOf(type),
    metadata,
    items: result.items.map((o) => {
      // List items share one frozen copy per stored version (lists repeat; copying every item each time is what costs).
      const { apiVersion: _a, kind: _k, ...rest } = outShared(o);
      return rest;
    }),
  };
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof parsed.rv !== 'number' || typeof parsed.start !== 'string') throw new Error('bad token');
    return { rv: parsed.rv, start: parsed.start };
  } catch {
    throw apiErrors.badRequest('continue key is not valid: illegal base64 data at input byte 0');
  }
}
