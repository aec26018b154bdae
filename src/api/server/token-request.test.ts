import { describe, expect, it } from 'vitest';
import { identities } from '../auth/index.js';
import { statusErrorOf } from '../errors/testing.js';
import { ApiServer } from './apiserver.js';
import { ApiGateway, type IncomingRequest } from './gateway.js';

function cluster() {
  let now = 0; // virtual ms; the API server adds its epoch (2026-01-01)
  let n = 0;
  const gw = new ApiGateway(new ApiServer({ now: () => now, random: () => ((n = (n * 9301 + 49297) % 233280) / 233280) }));
  gw.bootstrap();
  gw.authenticator.add('admin-token', identities.admin());
  const call = (token: string, r: Partial<IncomingRequest>) => gw.handle({ group: '', version: 'v1', verb: 'get', resource: 'pods', authorization: `Bearer ${token}`, ...r } as IncomingRequest).body as any;
  const whoami = (token: string) => gw.authenticator.authenticate(`Bearer ${token}`).name;
  const createToken = (spec: object = {}) => call('admin-token', { verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'default', name: 'bot', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec } });
  call('admin-token', { verb: 'create', resource: 'serviceaccounts', namespace: 'default', body: { metadata: { name: 'bot' } } });
  return { call, whoami, createToken, advance: (ms: number) => (now += ms) };
}

describe('TokenRequest: service account tokens (kubectl create token)', () => {
  it('issues a token for an hour by default that authenticates as the service account, with its groups', () => {
    const { createToken, whoami, call, advance } = cluster();
    const answer = createToken();
    expect(answer).toMatchObject({ kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600 }, status: { expirationTimestamp: '2026-01-01T01:00:00Z' } });
    const token = answer.status.token as string;
    expect(token.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'https://kubernetes.default.svc.cluster.local', sub: 'system:serviceaccount:default:bot', 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'bot' } } });
    expect(whoami(token)).toBe('system:serviceaccount:default:bot');
    // The account has no RBAC grants: authenticated, but forbidden.
    expect(statusErrorOf(() => call(token, { verb: 'list', namespace: 'default' })).status.message).toBe('pods is forbidden: User "system:serviceaccount:default:bot" cannot list resource "pods" in API group "" in the namespace "default"');
    advance(3_599_000);
    expect(whoami(token)).toBe('system:serviceaccount:default:bot');
    advance(1_000);
    expect(statusErrorOf(() => whoami(token)).code).toBe(401);
  });

  it('refuses tokens for another audience, tampered with, or whose account was deleted', () => {
    const { createToken, whoami, call } = cluster();
    expect(statusErrorOf(() => whoami(createToken({ audiences: ['vault'] }).status.token)).code).toBe(401);
    const token = createToken().status.token as string;
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url');
    expect(statusErrorOf(() => whoami(`${h}.${forged}.${s}`)).code).toBe(401);
    call('admin-token', { verb: 'delete', resource: 'serviceaccounts', namespace: 'default', name: 'bot' });
    expect(statusErrorOf(() => whoami(token)).code).toBe(401);
    // Recreated with the same name, it is another account (another uid): the old token stays dead.
    call('admin-token', { verb: 'create', resource: 'serviceaccounts', namespace: 'default', body: { metadata: { name: 'bot' } } });
    expect(statusErrorOf(() => whoami(token)).code).toBe(401);
  });

  it('validates the request as upstream does', () => {
    const { createToken, call } = cluster();
    expect(statusErrorOf(() => createToken({ expirationSeconds: 60 })).status.message).toBe('TokenRequest.authentication.k8s.io "bot" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
    expect(statusErrorOf(() => call('admin-token', { verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'default', name: 'nobody', body: {} })).status.message).toBe('serviceaccounts "nobody" not found');
  });
});
