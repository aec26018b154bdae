import type { ApiRequest, ApiResponse } from '../server/request.js';
import type { RBACAuthorizer } from './rbac.js';

/** The non-resource URLs every authenticated user may GET (bootstrap system:discovery and system:public-info-viewer). */
const DISCOVERY_URLS = ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/openid/v1/jwks', '/openid/v1/jwks/', '/readyz', '/version', '/version/'];

/**
 * POST selfsubjectrulesreviews (`kubectl auth can-i --list`): every rule the
 * asking user holds in the namespace, from its RBAC bindings (upstream
 * pkg/registry/authorization/selfsubjectrulesreview), stored nowhere.
 */
export function selfSubjectRulesReview(req: ApiRequest, rbac: RBACAuthorizer): ApiResponse {
  const spec = ((req.body as { spec?: { namespace?: string } } | undefined)?.spec ?? {}) as { namespace?: string };
  const namespace = spec.namespace ?? 'default';
  const resourceRules = rbac.rulesFor(req.user, namespace).map((r) => ({ verbs: r.verbs ?? [], apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames !== undefined && { resourceNames: r.resourceNames }) }));
  const masters = req.user.groups.includes('system:masters');
  const nonResourceRules = [...(masters ? [{ verbs: ['*'], nonResourceURLs: ['*'] }] : []), { verbs: ['get'], nonResourceURLs: DISCOVERY_URLS }];
  return { code: 201, body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: { creationTimestamp: null }, spec: { namespace }, status: { resourceRules, nonResourceRules, incomplete: false } } as never };
}
