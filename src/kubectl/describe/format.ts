import type { KubeObject } from '../../api/registry/types.js';
import { formatQuantity, tryParseQuantity } from '../../api/quantity.js';
import { parseRfc3339 } from '../../api/server/time.js';
import { humanDuration } from '../table.js';
import { tabwrite } from '../tabwriter.js';

/** describe's levels (upstream PrefixWriter LEVEL_0 … LEVEL_4). */
export const L0 = '';
export const L1 = '  ';
export const L2 = '    ';
export const L3 = '      ';

/**
 * describe's output: lines with tab-separated cells, aligned by Go's
 * tabwriter (minwidth 0, padding 2) between flushes, as tabbedString does.
 */
export class DescribeWriter {
  private sections: string[] = [];
  private current = '';

  write(level: string, text: string): void {
    this.current += level + text;
  }

  /** w.Flush(): what follows aligns on its own. */
  flush(): void {
    this.sections.push(this.current);
    this.current = '';
  }

  toString(): string {
    return [...this.sections, this.current].map((s) => tabwrite(s, 0, 2)).join('');
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Go's time.RFC1123Z in UTC: `Thu, 01 Jan 2026 00:00:03 +0000`. */
export function rfc1123z(text: string | undefined): string {
  if (text === undefined) return '<unknown>';
  const d = new Date(parseRfc3339(text));
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** printLabelsMultiline: `Labels:\tapp=web` then one per line, sorted; `<none>` when empty. */
export function labelsMultiline(w: DescribeWriter, title: string, labels: Record<string, string> | undefined, separator = '='): void {
  w.write(L0, `${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.write(L0, '<none>\n');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(L0, '\t');
    const line = `${k}${separator}${labels![k]}`;
    w.write(L0, `${separator === ': ' && line.length > 140 ? `${line.slice(0, 140)}...` : line}\n`);
  });
}

/** printAnnotationsMultiline: `key: value`, the last-applied configuration left out, long lines cut at 140. */
export function annotationsMultiline(w: DescribeWriter, annotations: Record<string, string> | undefined): void {
  const shown = Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'));
  labelsMultiline(w, 'Annotations', shown, ': ');
}

/** printTolerationsMultiline. */
export function tolerationsMultiline(w: DescribeWriter, title: string, tolerations: any[] | undefined): void {
  w.write(L0, `${title}:\t`);
  if ((tolerations ?? []).length === 0) return w.write(L0, '<none>\n');
  tolerations!.forEach((t, i) => {
    if (i !== 0) w.write(L0, '\t');
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += ' op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(L0, `${s}\n`);
  });
}

/** DescribeEvents: after a flush, the Type/Reason/Age/From/Message table, oldest first; `<none>` when there are none. */
export function describeEvents(w: DescribeWriter, events: KubeObject[] | undefined, nowMs: number): void {
  if (events === undefined) return;
  if (events.length === 0) return w.write(L0, 'Events:\t<none>\n');
  w.flush();
  const at = (e: any) => parseRfc3339(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp);
  const sorted = [...events].sort((a, b) => at(a) - at(b));
  w.write(L0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(L1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted as any[]) {
    const first = humanDuration(nowMs - parseRfc3339(e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp));
    const interval = e.series !== undefined ? `${humanDuration(nowMs - parseRfc3339(e.series.lastObservedTime))} (x${e.series.count} over ${first})` : (e.count ?? 1) > 1 ? `${humanDuration(nowMs - parseRfc3339(e.lastTimestamp))} (x${e.count} over ${first})` : first;
    const source = e.source?.component || e.reportingComponent || e.reportingController || '';
    w.write(L1, `${e.type}\t${e.reason}\t${interval}\t${source}\t${String(e.message ?? '').trim()}\n`);
  }
}

/** `ReplicaSet/web-7cff5b6564` from the controller ownerReference (printController). */
export function controlledBy(o: any): string {
  const ref = (o.metadata?.ownerReferences ?? []).find((r: any) => r.controller === true);
  return ref === undefined ? '' : `${ref.kind}/${ref.name}`;
}

/** Quantity.String(): the canonical text of a quantity as kubectl prints it (`96636764000` → `96636764k`). */
export function canonicalQuantity(text: unknown): string {
  const q = tryParseQuantity(text);
  return q === undefined ? String(text ?? '') : formatQuantity(q);
}
