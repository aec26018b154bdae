import { cloneJson } from '../json-clone.js';
import type { KubeObject } from '../registry/types.js';

/** Field pairs between events.k8s.io/v1 and core/v1 Events (upstream pkg/apis/events/v1/conversion.go). */
const PAIRS: Array<[view: string, core: string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const SAME = ['metadata', 'eventTime', 'series', 'action', 'related', 'type', 'reason', 'reportingInstance'];

function convert(o: KubeObject, apiVersion: string, from: 0 | 1, to: 0 | 1): KubeObject {
  const out: KubeObject = { kind: 'Event', apiVersion };
  for (const k of SAME) if (o[k] !== undefined) out[k] = cloneJson(o[k]);
  for (const pair of PAIRS) if (o[pair[from]] !== undefined) out[pair[to]] = cloneJson(o[pair[from]]);
  return out;
}

/** A core/v1 Event as events.k8s.io/v1 shows it. */
export const eventToView = (core: KubeObject): KubeObject => convert(core, 'events.k8s.io/v1', 1, 0);
/** An events.k8s.io/v1 Event as it is stored (core/v1). */
export const eventFromView = (view: KubeObject): KubeObject => convert(view, 'v1', 0, 1);
