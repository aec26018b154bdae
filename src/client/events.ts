import type { HostContext } from '../faults/index.js';
import type { KubeObject } from '../api/registry/types.js';
import { StatusError } from '../api/errors/status.js';
import { DEFAULT_EPOCH_MS, rfc3339 } from '../api/server/time.js';
import type { ApiClient } from './api-client.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

interface Recorded {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  /** Its create has not been answered yet: later repeats wait for it (upstream writes events one at a time). */
  creating: boolean;
  /** A repeat came while creating: the count and time to patch once the create is done. */
  pending?: { lastTimestamp: string; message: string };
}

/** upstream EventCorrelator defaults (client-go tools/record/events_cache.go). */
const MAX_SIMILAR = 10;
const SIMILAR_WINDOW_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;
const CACHE_SIZE = 4096;

/**
 * An event recorder as components use (client-go tools/record): events are
 * named `<object>.<hex timestamp>`; an identical event (same source, object,
 * type, reason and message) raises the count and lastTimestamp of the one
 * already written (`(x3 over 20s)` in kubectl); more than 10 similar events
 * with different messages in 10 minutes are combined; and a token bucket
 * per source and object (burst 25, one more every 5 minutes) drops the rest.
 * Writes go through the API client and are lost if the API server is out of
 * reach, as they are from a real kubelet.
 */
export class EventRecorder {
  private readonly seen = new Map<string, Recorded>();
  private readonly similar = new Map<string, { messages: Set<string>; since: number }>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    readonly source: EventSource,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
  }

  event(object: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const nowMs = this.host.clock.now();
    const meta = object.metadata ?? {};
    const involved = {
      kind: object.kind,
      namespace: meta.namespace,
      name: meta.name,
      uid: meta['uid'],
      apiVersion: object.apiVersion,
      resourceVersion: meta['resourceVersion'],
      ...(fieldPath !== undefined && { fieldPath }),
    };
    const objectKey = `${this.source.component}/${this.source.host ?? ''}/${involved.kind}/${involved.namespace ?? ''}/${involved.name}/${involved.uid ?? ''}`;
    if (!this.allow(objectKey, nowMs)) return;
    // Aggregate similar events that differ only in message.
    const aggregateKey = `${objectKey}/${type}/${reason}`;
    let msg = message;
    let key = `${aggregateKey}/${message}`;
    const group = this.similar.get(aggregateKey);
    if (group === undefined || nowMs - group.since > SIMILAR_WINDOW_MS) this.similar.set(aggregateKey, { messages: new Set([message]), since: nowMs });
    else {
      group.messages.add(message);
      // upstream EventAggregate: past the limit, one event (keyed without the message) counts them all
      if (group.messages.size > MAX_SIMILAR) {
        msg = `(combined from similar events): ${message}`;
        key = aggregateKey;
      }
    }
    const now = rfc3339(this.epochMs + nowMs);
    const namespace = involved.namespace ?? 'default';
    const previous = this.seen.get(key);
    if (previous !== undefined) {
      previous.count++;
      if (previous.creating) {
        previous.pending = { lastTimestamp: now, message: msg };
        return;
      }
      this.patchCount(key, previous, now, msg, () => this.event(object, type, reason, message, fieldPath));
      return;
    }
    const name = `${involved.name}.${(BigInt(this.epochMs + nowMs) * 1_000_000n + BigInt(this.seen.size)).toString(16)}`;
    const record: Recorded = { name, namespace, count: 1, firstTimestamp: now, creating: true };
    this.remember(key, record);
    this.client.request(
      {
        verb: 'create',
        group: '',
        version: 'v1',
        resource: 'events',
        namespace,
        body: {
          metadata: { name, namespace },
          involvedObject: involved,
          reason,
          message: msg,
          source: this.source,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          type,
          eventTime: null,
          reportingComponent: this.source.component,
          reportingInstance: this.source.host ?? '',
        },
      },
      () => {
        record.creating = false;
        const p = record.pending;
        record.pending = undefined;
        if (p !== undefined) this.patchCount(key, record, p.lastTimestamp, p.message, () => {});
      },
    );
  }

  /** Raise an event's count; if it expired or was deleted, start again with a new one. */
  private patchCount(key: string, r: Recorded, lastTimestamp: string, message: string, again: () => void): void {
    this.client.request(
      { verb: 'patch', group: '', version: 'v1', resource: 'events', namespace: r.namespace, name: r.name, patchType: 'strategic', body: { count: r.count, lastTimestamp, message } },
      (error) => {
        if (error instanceof StatusError && error.code === 404) {
          this.seen.delete(key);
          again();
        }
      },
    );
  }

  private remember(key: string, r: Recorded): void {
    if (this.seen.size >= CACHE_SIZE) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, r);
  }

  /** Token bucket per source and object. */
  private allow(key: string, nowMs: number): boolean {
    const b = this.buckets.get(key) ?? { tokens: SPAM_BURST, at: nowMs };
    b.tokens = Math.min(SPAM_BURST, b.tokens + (nowMs - b.at) / SPAM_REFILL_MS);
    b.at = nowMs;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
