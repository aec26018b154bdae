import { describe, expect, it } from 'vitest';
import { isStatusError } from '../errors/status.js';
import { impersonate } from './impersonation.js';
import type { Attributes } from './attributes.js';

const admin = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const bob = { name: 'bob', groups: ['system:authenticated'] };
const policy = (a: Attributes) => ({ allowed: a.user.groups.includes('system:masters') || (a.user.name === 'bob' && a.resource === 'users' && a.name === 'alice') });
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
  }
  return undefined;
};

describe('impersonation (upstream filters/impersonation.go)', () => {
  it('acts as the user and groups asked for, plus system:authenticated; a service account gets its own groups', () => {
    expect(impersonate(admin, { user: 'bob', groups: ['devs'] }, policy)).toEqual({ name: 'bob', groups: ['devs', 'system:authenticated'] });
    expect(impersonate(admin, { user: 'system:serviceaccount:ci:deployer' }, policy)).toEqual({ name: 'system:serviceaccount:ci:deployer', groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'] });
    expect(impersonate(bob, { user: 'alice' }, policy).name).toBe('alice');
  });

  it('needs impersonate on users/<name> and on each group, else 403 in upstream words', () => {
    expect(refusal(() => impersonate(bob, { user: 'carol' }, policy))).toMatchObject({ code: 403, reason: 'Forbidden', message: 'users "carol" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope' });
    expect(refusal(() => impersonate(bob, { user: 'alice', groups: ['system:masters'] }, policy))).toMatchObject({ code: 403, message: 'groups "system:masters" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope' });
    expect(refusal(() => impersonate(bob, { user: 'system:serviceaccount:ci:deployer' }, policy))?.message).toBe('serviceaccounts "deployer" is forbidden: User "bob" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "ci"');
  });
});
