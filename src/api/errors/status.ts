import type { Status, StatusCause } from 'kubernetes-types/meta/v1.js';
import { aggregateMessage, type FieldError } from '../validation/field-errors.js';

/** A resource in a group, e.g. `{ group: 'apps', resource: 'deployments' }`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A kind in a group, e.g. `{ group: 'apps', kind: 'Deployment' }`. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** `pods`, `deployments.apps` (upstream schema.GroupResource.String). */
export const groupResourceString = (gr: GroupResource): string => (gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`);
/** `Pod`, `Deployment.apps` (upstream schema.GroupKind.String). */
export const groupKindString = (gk: GroupKind): string => (gk.group === '' ? gk.kind : `${gk.kind}.${gk.group}`);

/**
 * An API error carrying the `Status` body the API server returns, built as
 * upstream's k8s.io/apimachinery/pkg/api/errors constructors build them.
 */
export class StatusError extends Error {
  constructor(readonly status: Status & { code: number; message: string }) {
    super(status.message);
    this.name = 'StatusError';
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }
}

function status(code: number, reason: string | undefined, message: string, details?: Status['details']): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(reason !== undefined && { reason }),
    ...(details !== undefined && { details }),
    code,
  });
}

const details = (gr: GroupResource, name: string, extra: Partial<NonNullable<Status['details']>> = {}): NonNullable<Status['details']> => ({
  ...(name !== '' && { name }),
  group: gr.group,
  kind: gr.resource,
  ...extra,
});

export const apiErrors = {
  /** 404: `pods "web-0" not found`. */
  notFound: (gr: GroupResource, name: string): StatusError => status(404, 'NotFound', `${groupResourceString(gr)} "${name}" not found`, details(gr, name)),

  /** 409: `pods "web-0" already exists`. */
  alreadyExists: (gr: GroupResource, name: string): StatusError => status(409, 'AlreadyExists', `${groupResourceString(gr)} "${name}" already exists`, details(gr, name)),

  /** 409 on a stale resourceVersion or failed precondition. */
  conflict: (gr: GroupResource, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): StatusError =>
    status(409, 'Conflict', `Operation cannot be fulfilled on ${groupResourceString(gr)} "${name}": ${why}`, details(gr, name)),

  /** 422: `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: ...`, each error a cause. */
  invalid: (gk: GroupKind, name: string, errors: readonly FieldError[]): StatusError => {
    const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: e.body(), field: e.field }));
    return status(422, 'Invalid', `${groupKindString(gk)} "${name}" is invalid: ${aggregateMessage(errors)}`, { name, group: gk.group, kind: gk.kind, causes });
  },

  /** 403: `pods "x" is forbidden: User "alice" cannot delete resource "pods" in API group "" in the namespace "default"`. */
  forbidden: (gr: GroupResource, name: string, why: string): StatusError =>
    status(403, 'Forbidden', name === '' ? `${groupResourceString(gr)} is forbidden: ${why}` : `${groupResourceString(gr)} "${name}" is forbidden: ${why}`, details(gr, name)),

  /** 401 for a missing or unknown bearer token. */
  unauthorized: (): StatusError => status(401, 'Unauthorized', 'Unauthorized'),

  badRequest: (message: string): StatusError => status(400, 'BadRequest', message),

  /** 410 for a watch or list from a compacted resourceVersion. */
  resourceExpired: (message: string): StatusError => status(410, 'Expired', message),

  /** 405: `create is not supported on resources of kind "nodes"`-style refusals. */
  methodNotSupported: (gr: GroupResource, action: string): StatusError =>
    status(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${groupResourceString(gr)}"`, details(gr, '')),

  /** 405 with the server's own words (a custom resource whose definition is terminating refuses creates). */
  methodNotAllowed: (gr: GroupResource, message: string): StatusError => status(405, 'MethodNotAllowed', message, details(gr, '')),

  /** 429, e.g. an eviction refused by a PodDisruptionBudget. */
  tooManyRequests: (message: string, retryAfterSeconds = 0): StatusError =>
    status(429, 'TooManyRequests', message, retryAfterSeconds > 0 ? { retryAfterSeconds } : undefined),

  /** 503, e.g. an aggregated API whose server cannot be reached. */
  serviceUnavailable: (message: string): StatusError => status(503, 'ServiceUnavailable', message),

  /** 500: `Internal error occurred: ...`. */
  internal: (message: string): StatusError => status(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }),

  /**
   * An error the API server does not recognise (such as etcd's
   * `etcdserver: request timed out`) is passed through as a 500 with no
   * reason, which kubectl prints as `Error from server: <message>`.
   */
  /** 404 for a path nothing is served at (reason NotFound, as client-go reads kube-apiserver's plain "404 page not found"). */
  pathNotFound: (): StatusError => status(404, 'NotFound', 'the server could not find the requested resource', {}),

  unknown: (message: string, code = 500): StatusError => status(code, undefined, message),

  /** 404 for a namespace that does not exist, on create (NamespaceLifecycle admission). */
  namespaceNotFound: (name: string): StatusError => status(404, 'NotFound', `namespaces "${name}" not found`, { name, group: '', kind: 'namespaces' }),
};

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}
