import type { MVCCStore } from '../store/index.js';
import type { Attributes, Decision } from './attributes.js';
import { authorizeNode } from './node.js';
import { RBACAuthorizer } from './rbac.js';

/**
 * The authorizer chain kube-apiserver runs with `--authorization-mode=Node,RBAC`,
 * behind the system:masters superuser group: the first allow wins, and the
 * reasons of those with no opinion are kept for the 403 message.
 */
export class Authorizer {
  readonly rbac: RBACAuthorizer;

  constructor(private readonly store: MVCCStore) {
    this.rbac = new RBACAuthorizer(store);
  }

  authorize(a: Attributes): { allowed: boolean; reason: string } {
    if (a.user.groups.includes('system:masters')) return { allowed: true, reason: '' };
    const reasons: string[] = [];
    for (const decide of [(x: Attributes) => authorizeNode(this.store, x), (x: Attributes) => this.rbac.authorize(x)]) {
      const d: Decision = decide(a);
      if (d.decision === 'allow') return { allowed: true, reason: '' };
      if (d.reason) reasons.push(d.reason);
      if (d.decision === 'deny') break;
    }
    return { allowed: false, reason: reasons.join(', ') };
  }
}
