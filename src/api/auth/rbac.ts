import type { MVCCStore, StoredObject } from '../store/index.js';
import type { Attributes, Decision } from './attributes.js';

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}
interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}
interface RoleRef {
  kind: string;
  name: string;
}

const matchesVerb = (r: PolicyRule, verb: string): boolean => (r.verbs ?? []).some((v) => v === '*' || v === verb);
const matchesGroup = (r: PolicyRule, group: string): boolean => (r.apiGroups ?? []).some((g) => g === '*' || g === group);

// upstream rbac ResourceMatches: "*", the exact "resource/subresource", or "*" + "/subresource".
function matchesResource(r: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (r.resources ?? []).some((res) => res === '*' || res === combined || (subresource !== undefined && res === `*/${subresource}`));
}

function matchesName(r: PolicyRule, name: string | undefined): boolean {
  const names = r.resourceNames ?? [];
  return names.length === 0 || (name !== undefined && names.includes(name));
}

export function ruleAllows(r: PolicyRule, a: Attributes): boolean {
  return matchesVerb(r, a.verb) && matchesGroup(r, a.apiGroup) && matchesResource(r, a.resource, a.subresource) && matchesName(r, a.name);
}

function subjectMatches(s: Subject, a: Attributes, bindingNamespace: string | undefined): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === a.user.name;
    case 'Group':
      return a.user.groups.includes(s.name);
    case 'ServiceAccount':
      return a.user.name === `system:serviceaccount:${s.namespace ?? bindingNamespace ?? ''}:${s.name}`;
    default:
      return false;
  }
}

/**
 * Role-based access control over the Roles, ClusterRoles and bindings in
 * the store (upstream plugin/pkg/auth/authorizer/rbac): a request is allowed
 * when a binding that names the user (or one of their groups, or their
 * service account) grants a rule that matches. RBAC never denies; it has no
 * opinion otherwise.
 */
export class RBACAuthorizer {
  constructor(private readonly store: MVCCStore) {}

  authorize(a: Attributes): Decision {
    for (const binding of this.store.list('clusterrolebindings.rbac.authorization.k8s.io').items) {
      if (this.bindingAllows(binding, a, undefined)) return { decision: 'allow' };
    }
    if (a.namespace) {
      for (const binding of this.store.list('rolebindings.rbac.authorization.k8s.io', { keyPrefix: `${a.namespace}/` }).items) {
        if (this.bindingAllows(binding, a, a.namespace)) return { decision: 'allow' };
      }
    }
    return { decision: 'no-opinion', reason: '' };
  }

  /**
   * Every rule the user holds in a namespace (cluster-wide bindings, then the
   * namespace's role bindings), for SelfSubjectRulesReview (kubectl auth can-i --list).
   */
  rulesFor(user: Attributes['user'], namespace: string): PolicyRule[] {
    const a = { user, verb: '', apiGroup: '', resource: '' } as Attributes;
    const rules: PolicyRule[] = [];
    const collect = (binding: StoredObject, ns: string | undefined) => {
      if (!((binding['subjects'] ?? []) as Subject[]).some((x) => subjectMatches(x, a, ns))) return;
      const ref = binding['roleRef'] as RoleRef | undefined;
      const role = ref?.kind === 'ClusterRole' ? this.store.get('clusterroles.rbac.authorization.k8s.io', ref.name) : ns !== undefined && ref !== undefined ? this.store.get('roles.rbac.authorization.k8s.io', `${ns}/${ref.name}`) : undefined;
      rules.push(...((role?.['rules'] ?? []) as PolicyRule[]));
    };
    for (const b of this.store.list('clusterrolebindings.rbac.authorization.k8s.io').items) collect(b, undefined);
    for (const b of this.store.list('rolebindings.rbac.authorization.k8s.io', { keyPrefix: `${namespace}/` }).items) collect(b, namespace);
    return rules;
  }

  private bindingAllows(binding: StoredObject, a: Attributes, namespace: string | undefined): boolean {
    const subjects = (binding['subjects'] ?? []) as Subject[];
    if (!subjects.some((s) => subjectMatches(s, a, namespace))) return false;
    const ref = binding['roleRef'] as RoleRef | undefined;
    if (ref === undefined) return false;
    const role =
      ref.kind === 'ClusterRole'
        ? this.store.get('clusterroles.rbac.authorization.k8s.io', ref.name)
        : namespace !== undefined
          ? this.store.get('roles.rbac.authorization.k8s.io', `${namespace}/${ref.name}`)
          : undefined;
    return ((role?.['rules'] ?? []) as PolicyRule[]).some((r) => ruleAllows(r, a));
  }
}
