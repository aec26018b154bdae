import { ISSUER, type ServiceAccountTokens } from '../auth/service-account-token.js';
import { apiErrors } from '../errors/status.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import { fieldErrors } from '../validation/field-errors.js';
import { getObject, type Reply, type ServerContext } from './context.js';
import { uuid } from './keys.js';
import type { ApiRequest } from './request.js';
import { rfc3339 } from './time.js';

interface TokenRequestBody {
  apiVersion?: string;
  kind?: string;
  spec?: { audiences?: string[] | null; expirationSeconds?: number | null; boundObjectRef?: unknown };
}

/**
 * POST serviceaccounts/<name>/token (`kubectl create token`): a signed token
 * for the service account, an hour by default, at least ten minutes
 * (pkg/registry/core/serviceaccount/storage/token.go, validation of
 * TokenRequestSpec). Deleting the account revokes its tokens.
 */
export function createToken(ctx: ServerContext, tokens: ServiceAccountTokens, type: ResourceType, req: ApiRequest, reply: Reply): void {
  const name = req.name ?? '';
  const account = getObject(ctx, type, req.namespace, name);
  const body = (req.body ?? {}) as TokenRequestBody;
  if (body.apiVersion !== undefined && body.apiVersion !== 'authentication.k8s.io/v1') {
    throw apiErrors.badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (authentication.k8s.io/v1)`);
  }
  const seconds = body.spec?.expirationSeconds ?? 3600;
  const invalid = (detail: string) => apiErrors.invalid({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, name, [fieldErrors.invalid('spec.expirationSeconds', seconds, detail)]);
  if (seconds < 600) throw invalid('may not specify a duration less than 10 minutes');
  if (seconds > 2 ** 32) throw invalid('may not specify a duration larger than 2^32 seconds');
  const audiences = body.spec?.audiences?.length ? body.spec.audiences : [ISSUER];
  const nowMs = ctx.now();
  const iat = Math.floor(nowMs / 1000);
  const namespace = String(account.metadata?.namespace ?? req.namespace ?? '');
  const token = tokens.issue({
    aud: audiences,
    exp: iat + seconds,
    iat,
    nbf: iat,
    iss: ISSUER,
    jti: uuid(() => ctx.random()),
    sub: `system:serviceaccount:${namespace}:${name}`,
    'kubernetes.io': { namespace, serviceaccount: { name, uid: String(account.metadata?.['uid'] ?? '') } },
  });
  const answer: KubeObject = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds: seconds, boundObjectRef: body.spec?.boundObjectRef ?? null },
    status: { token, expirationTimestamp: rfc3339(nowMs + seconds * 1000) },
  };
  reply(null, { code: 201, body: answer });
}
