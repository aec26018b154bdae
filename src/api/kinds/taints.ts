import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

/**
 * Whether a toleration tolerates a taint (upstream
 * k8s.io/api/core/v1 toleration.go ToleratesTaint): an empty effect or key
 * matches any; operator Exists matches any value, Equal (or empty) needs the
 * same value.
 */
export function toleratesTaint(t: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (t.operator === undefined || t.operator === '' || t.operator === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

/** Whether any toleration tolerates the taint (upstream TolerationsTolerateTaint). */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}
