import yaml from 'js-yaml';
import type { KubeObject } from '../api/registry/types.js';

/** A wait that ran out of virtual time: what was awaited, the object as it stood, its recent events, and the seed to replay. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly seed: string,
    readonly object: KubeObject | undefined,
    readonly events: KubeObject[],
  ) {
    super(waitMessage(what, timeoutMs, seed, object, events));
    this.name = 'WaitTimeoutError';
  }
}

function waitMessage(what: string, timeoutMs: number, seed: string, object: KubeObject | undefined, events: KubeObject[]): string {
  const lines = [`timed out after ${timeoutMs / 1000}s of virtual time waiting for ${what}`, `seed: ${seed}`];
  if (object !== undefined) {
    const { managedFields: _m, ...meta } = (object.metadata ?? {}) as Record<string, unknown>;
    lines.push('', 'object:', ...yaml.dump({ ...object, metadata: meta }, { noRefs: true, lineWidth: 160 }).trimEnd().split('\n').map((l) => `  ${l}`));
  }
  if (events.length > 0) {
    lines.push('', 'recent events:');
    for (const e of events.slice(-10)) {
      const ev = e as { type?: string; reason?: string; message?: string; count?: number; source?: { component?: string } };
      lines.push(`  ${ev.type ?? ''}  ${ev.reason ?? ''}  ${ev.source?.component ?? ''}  ${ev.message ?? ''}${(ev.count ?? 1) > 1 ? ` (x${ev.count})` : ''}`);
    }
  }
  return lines.join('\n');
}

/** A monitored invariant failed while the cluster ran. */
export class InvariantViolation extends Error {
  constructor(
    message: string,
    readonly atMs: number,
  ) {
    super(message);
    this.name = 'InvariantViolation';
  }
}
