import { admitDefaultStorageClass } from './default-storage-class.js';
import { admitDefaultTolerations } from './tolerations.js';
import { admitLimitRanges } from './limit-ranger.js';
import { admitPriority } from './priority.js';
import { admitResourceQuota } from './resource-quota.js';
import { admitServiceAccount } from './service-account.js';
import type { AdmissionContext } from './types.js';
import { allocateServiceAddresses } from '../kinds/service-ips.js';

export type { AdmissionContext } from './types.js';
export { SYSTEM_PRIORITY_CLASSES } from './priority.js';
export { DEFAULT_TOLERATION_SECONDS } from './tolerations.js';

const isPod = (ctx: AdmissionContext): boolean => ctx.type.group === '' && ctx.type.resource === 'pods';

/**
 * Mutating admission on create, in kube-apiserver's plugin order:
 * ServiceAccount, LimitRanger, DefaultTolerationSeconds, Priority; and
 * DefaultStorageClass for claims.
 * (NamespaceLifecycle runs before, in the server.)
 */
export function mutatingAdmission(ctx: AdmissionContext): void {
  if (ctx.type.group === '' && ctx.type.resource === 'persistentvolumeclaims') return admitDefaultStorageClass(ctx);
  // Not admission upstream but the Service storage's own create step; it runs at the same point.
  if (ctx.type.group === '' && ctx.type.resource === 'services') return allocateServiceAddresses(ctx);
  if (!isPod(ctx)) return;
  admitServiceAccount(ctx);
  admitLimitRanges(ctx);
  admitDefaultTolerations(ctx);
  admitPriority(ctx);
}

/** Validating admission on create: ResourceQuota. */
export function validatingAdmission(ctx: AdmissionContext): void {
  admitResourceQuota(ctx);
}
