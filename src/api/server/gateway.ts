import { Authorizer, BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES, forbiddenMessage, nodeRestriction, TokenAuthenticator, type Attributes } from '../auth/index.js';
import { apiErrors } from '../errors/status.js';
import { impersonate, type Impersonation } from '../auth/impersonation.js';
import { selfSubjectRulesReview } from '../auth/rules-review.js';
import type { ApiServer } from './apiserver.js';
import { storeKey, storeResource } from './keys.js';
import type { ApiRequest, ApiResponse, WatchEventOut, WatchHandle } from './request.js';

/** A request as it arrives, before authentication. */
export type IncomingRequest = Omit<ApiRequest, 'user'> & { authorization?: string; impersonate?: Impersonation };

/**
 * The API server's front door: authentication (bearer token, else 401),
 * authorization (Node, then RBAC; else 403 with upstream's message), the
 * NodeRestriction admission check, then the request itself.
 */
export class ApiGateway {
  readonly authenticator = new TokenAuthenticator();
  readonly authorizer: Authorizer;

  constructor(readonly api: ApiServer) {
    this.authorizer = new Authorizer(api.store);
    // A service account token is valid while its account exists with the uid it was issued for.
    this.authenticator.fallback = (token) =>
      api.serviceAccountTokens.authenticate(token, Math.floor(api.now() / 1000), (namespace, name) => api.store.get('serviceaccounts', `${namespace}/${name}`)?.metadata?.['uid'] as string | undefined);
  }

  /** Create the default namespaces, roles and bindings (retrying through `schedule` when storage is asynchronous). */
  bootstrap(schedule?: (delayMs: number, fn: () => void) => void, done?: () => void): void {
    const rbac = 'rbac.authorization.k8s.io';
    const steps = [
      ...BOOTSTRAP_CLUSTER_ROLES.map((role) => ({ group: rbac, resource: 'clusterroles', body: { metadata: { name: role.name }, rules: role.rules } })),
      ...BOOTSTRAP_CLUSTER_ROLE_BINDINGS.map((b) => ({
        group: rbac,
        resource: 'clusterrolebindings',
        body: { metadata: { name: b.name }, roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: b.role }, subjects: b.subjects },
      })),
    ];
    this.api.bootstrap(schedule, () => this.api.ensureAll(steps, schedule, done));
  }

  handle(incoming: IncomingRequest): ApiResponse {
    const req = this.admit(incoming);
    return this.api.handle(req);
  }

  /** Serve a request whatever the storage: the reply gets a StatusError or the response. */
  handleAsync(incoming: IncomingRequest, reply: (error: unknown, response?: ApiResponse) => void): void {
    let req: ApiRequest;
    try {
      req = this.admit(incoming);
      if (req.group === 'authorization.k8s.io' && req.resource === 'selfsubjectaccessreviews') return reply(null, this.selfSubjectAccessReview(req));
      if (req.group === 'authorization.k8s.io' && req.resource === 'selfsubjectrulesreviews') return reply(null, selfSubjectRulesReview(req, this.authorizer.rbac));
      // POST selfsubjectreviews (kubectl auth whoami): who the request was made as, stored nowhere.
      if (req.group === 'authentication.k8s.io' && req.resource === 'selfsubjectreviews') {
        return reply(null, { code: 201, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: { creationTimestamp: null }, status: { userInfo: { username: req.user.name, groups: req.user.groups } } } as never });
      }
    } catch (e) {
      return reply(e);
    }
    this.api.handleAsync(req, reply);
  }

  watch(incoming: IncomingRequest, sink: (e: WatchEventOut) => void): WatchHandle {
    const req = this.admit({ ...incoming, verb: 'watch' });
    return this.api.watch(req, sink);
  }

  /**
   * POST selfsubjectaccessreviews (`kubectl auth can-i`): would the asking
   * user be allowed? Answered by the same authorizers, stored nowhere
   * (upstream pkg/registry/authorization/selfsubjectaccessreview).
   */
  private selfSubjectAccessReview(req: ApiRequest): ApiResponse {
    const review = (req.body ?? {}) as { spec?: { resourceAttributes?: Record<string, string>; nonResourceAttributes?: { path?: string; verb?: string } } };
    const ra = review.spec?.resourceAttributes;
    if (ra === undefined) {
      if (review.spec?.nonResourceAttributes === undefined) throw apiErrors.invalid({ group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' }, '', [{ type: 'FieldValueRequired', field: 'spec.resourceAttributes', detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified', badValue: '' } as never]);
      // Non-resource URLs (/healthz, /version, /api): everyone authenticated may read them (system:discovery, system:public-info-viewer).
      const allowed = review.spec.nonResourceAttributes.verb === 'get';
      return { code: 201, body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: { creationTimestamp: null }, spec: review.spec, status: { allowed } } as never };
    }
    const attributes: Attributes = {
      user: req.user,
      verb: ra['verb'] ?? '',
      apiGroup: ra['group'] ?? '',
      resource: ra['resource'] ?? '',
      ...(ra['subresource'] && { subresource: ra['subresource'] }),
      ...(ra['namespace'] && { namespace: ra['namespace'] }),
      ...(ra['name'] && { name: ra['name'] }),
    };
    const decision = this.authorizer.authorize(attributes);
    return { code: 201, body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: { creationTimestamp: null }, spec: review.spec, status: { allowed: decision.allowed, ...(decision.reason && { reason: decision.reason }) } } as never };
  }

  /** Authenticate and authorize a request (401 or 403 otherwise); what the API server then serves. */
  admit(incoming: IncomingRequest): ApiRequest {
    const authenticated = this.authenticator.authenticate(incoming.authorization);
    const user = incoming.impersonate === undefined ? authenticated : impersonate(authenticated, incoming.impersonate, (a) => this.authorizer.authorize(a));
    const { authorization: _a, impersonate: _i, ...rest } = incoming;
    const req: ApiRequest = { ...rest, user };
    const attributes: Attributes = {
      user,
      verb: req.verb,
      apiGroup: req.group,
      resource: req.resource,
      ...(req.subresource !== undefined && { subresource: req.subresource }),
      ...(req.namespace !== undefined && { namespace: req.namespace }),
      ...(req.name !== undefined && { name: req.name }),
    };
    const decision = this.authorizer.authorize(attributes);
    if (!decision.allowed) {
      const message = forbiddenMessage(attributes) + (decision.reason ? `: ${decision.reason}` : '');
      throw apiErrors.forbidden({ group: req.group, resource: req.resource }, req.name ?? '', message);
    }
    const type = this.api.registry.get(req.group, req.resource);
    if (type !== undefined && req.name !== undefined && ['update', 'patch', 'delete', 'create'].includes(req.verb)) {
      const existing = this.api.store.get(storeResource(type), storeKey(type, req.namespace, req.name));
      const refusal = nodeRestriction(attributes, existing);
      if (refusal !== undefined) throw apiErrors.forbidden({ group: req.group, resource: req.resource }, req.name, refusal);
    }
    return req;
  }
}
