import type { KubeObject } from '../../api/registry/types.js';
import { parseRfc3339 } from '../../api/server/time.js';
import { humanDuration } from '../table.js';

/** What a printer needs besides the object: the client's wall-clock time. */
export interface PrintContext {
  nowMs: number;
}

/** Cell formats the printers share (pkg/printers/internalversion). */
export const age = (o: KubeObject, ctx: PrintContext) => {
  const t = (o.metadata as { creationTimestamp?: string } | undefined)?.creationTimestamp;
  return t === undefined ? '<unknown>' : humanDuration(ctx.nowMs - parseRfc3339(t));
};
export const none = (v: string | undefined | null) => (v === undefined || v === null || v === '' ? '<none>' : v);
export const containers = (spec: any) => (spec?.containers ?? []).map((c: any) => c.name).join(',');
export const images = (spec: any) => (spec?.containers ?? []).map((c: any) => c.image).join(',');
export const selectorText = (sel: any) => {
  if (sel === undefined || sel === null) return '<none>';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) parts.push(e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
  return parts.length === 0 ? '<none>' : parts.join(',');
};
export const mapText = (m: Record<string, string> | undefined) => (m === undefined || Object.keys(m).length === 0 ? '<none>' : Object.entries(m).map(([k, v]) => `${k}=${v}`).join(','));
