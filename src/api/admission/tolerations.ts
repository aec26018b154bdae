import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { AdmissionContext } from './types.js';

/** upstream DefaultTolerationSeconds: 300 s for not-ready and unreachable (k8s-rules.md Node lifecycle). */
export const DEFAULT_TOLERATION_SECONDS = 300;
const TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/**
 * DefaultTolerationSeconds admission (upstream plugin/pkg/admission/defaulttolerationseconds):
 * a pod without its own NoExecute toleration for not-ready or unreachable
 * gets one for 300 s, so it is evicted five minutes after its node is lost.
 */
export function admitDefaultTolerations(ctx: AdmissionContext): void {
  const spec = (ctx.object as Pod).spec;
  if (spec === undefined) return;
  const tolerations: Toleration[] = spec.tolerations ?? [];
  const covers = (key: string): boolean =>
    tolerations.some((t) => (t.effect === 'NoExecute' || t.effect === undefined || t.effect === '') && (t.key === key || (t.key === undefined && t.operator === 'Exists')));
  for (const key of TAINTS) {
    if (!covers(key)) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  spec.tolerations = tolerations;
}
