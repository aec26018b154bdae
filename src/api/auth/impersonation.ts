import { apiErrors } from '../errors/status.js';
import type { UserInfo } from '../server/request.js';
import { forbiddenMessage, type Attributes } from './attributes.js';

/** What a request asks to act as (Impersonate-User, Impersonate-Group headers; kubectl --as, --as-group). */
export interface Impersonation {
  user?: string;
  groups?: string[];
}

/**
 * Act as another user (upstream endpoints/filters/impersonation.go): the
 * requester needs `impersonate` on users/<name> (a service account:
 * serviceaccounts/<name> in its namespace) and on groups/<name> for each
 * group; the request then runs as that user, in those groups plus
 * system:authenticated (and a service account's own groups).
 */
export function impersonate(requester: UserInfo, asked: Impersonation, allowed: (a: Attributes) => { allowed: boolean; reason?: string }): UserInfo {
  const groups = asked.groups ?? [];
  if (asked.user === undefined || asked.user === '') {
    if (groups.length > 0) throw apiErrors.internal(`requested [${groups.map((g) => `{Group ${g}}`).join(' ')}] without impersonating a user`);
    return requester;
  }
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(asked.user);
  const checks: Attributes[] = [
    sa !== null ? { user: requester, verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts', namespace: sa[1]!, name: sa[2]! } : { user: requester, verb: 'impersonate', apiGroup: '', resource: 'users', name: asked.user },
    ...groups.map((g) => ({ user: requester, verb: 'impersonate', apiGroup: '', resource: 'groups', name: g })),
  ];
  for (const a of checks) {
    const decision = allowed(a);
    if (!decision.allowed) throw apiErrors.forbidden({ group: '', resource: a.resource }, a.name ?? '', forbiddenMessage(a) + (decision.reason ? `: ${decision.reason}` : ''));
  }
  const extra = sa !== null ? ['system:serviceaccounts', `system:serviceaccounts:${sa[1]}`] : [];
  return { name: asked.user, groups: [...new Set([...groups, ...extra, 'system:authenticated'])] };
}
