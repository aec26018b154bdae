import { apiErrors } from '../errors/status.js';
import type { UserInfo } from '../server/request.js';

/**
 * Bearer-token authentication (upstream's static token file authenticator):
 * a token maps to a user and groups; a missing or unknown token is 401.
 * Every authenticated user is also in `system:authenticated`.
 */
export class TokenAuthenticator {
  private readonly tokens = new Map<string, UserInfo>();
  /** Tokens not in the table: service account tokens the API server signed. */
  fallback: ((token: string) => UserInfo | undefined) | undefined;

  add(token: string, user: UserInfo): void {
    this.tokens.set(token, { name: user.name, groups: [...new Set([...user.groups, 'system:authenticated'])] });
  }

  /** The user behind an `Authorization: Bearer <token>` value (or the token alone). */
  authenticate(header: string | undefined): UserInfo {
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : header;
    const known = token === undefined ? undefined : this.tokens.get(token);
    if (known !== undefined) return known;
    const signed = token === undefined ? undefined : this.fallback?.(token);
    if (signed === undefined) throw apiErrors.unauthorized();
    return { name: signed.name, groups: [...new Set([...signed.groups, 'system:authenticated'])] };
  }
}

/** Identities the cluster's own components use (upstream component users and groups). */
export const identities = {
  admin: (): UserInfo => ({ name: 'kubernetes-admin', groups: ['system:masters'] }),
  node: (node: string): UserInfo => ({ name: `system:node:${node}`, groups: ['system:nodes'] }),
  scheduler: (): UserInfo => ({ name: 'system:kube-scheduler', groups: [] }),
  controllerManager: (): UserInfo => ({ name: 'system:kube-controller-manager', groups: [] }),
  serviceAccount: (namespace: string, name: string): UserInfo => ({ name: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`] }),
};
