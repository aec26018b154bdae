import { FaultInputError, requireInteger, requireRate } from '../errors.js';

export type LatencyDistribution = 'uniform' | 'exponential';

/**
 * How one direction of a link between two hosts behaves. A message's
 * transit time is `latencyMs` plus a jitter draw (uniform in [0, jitterMs],
 * or exponential with mean jitterMs for a long tail), plus its serialisation
 * time when `bandwidthBytesPerSec` is set. A link is FIFO unless a message is
 * picked for reordering, which holds it back by `reorderDelayMs` and lets
 * later messages pass it.
 */
export interface LinkConditions {
  latencyMs: number;
  jitterMs: number;
  distribution: LatencyDistribution;
  /** Fraction of messages dropped, 0..1. */
  loss: number;
  /** Fraction of datagrams delivered twice, 0..1. */
  duplicate: number;
  /** Fraction of datagrams held back, 0..1. */
  reorder: number;
  reorderDelayMs: number;
  /** 0 means unlimited. */
  bandwidthBytesPerSec: number;
}

/** A switched datacenter network: 1 ms, no jitter, no loss. */
export const DEFAULT_LINK: Readonly<LinkConditions> = Object.freeze({
  latencyMs: 1,
  jitterMs: 0,
  distribution: 'uniform',
  loss: 0,
  duplicate: 0,
  reorder: 0,
  reorderDelayMs: 0,
  bandwidthBytesPerSec: 0,
});

const KEYS = Object.keys(DEFAULT_LINK) as Array<keyof LinkConditions>;

/** Check user-supplied link settings field by field and fill in defaults. */
export function linkConditions(input: Partial<LinkConditions> | undefined, path: string, base: Readonly<LinkConditions> = DEFAULT_LINK): LinkConditions {
  const out: LinkConditions = { ...base };
  if (input === undefined) return out;
  if (typeof input !== 'object' || input === null) throw new FaultInputError({ path, message: `must be an object, got ${JSON.stringify(input)}` });
  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key as keyof LinkConditions)) {
      throw new FaultInputError({ path: `${path}.${key}`, message: `unknown field (expected one of ${KEYS.join(', ')})` });
    }
  }
  if (input.latencyMs !== undefined) out.latencyMs = requireInteger(`${path}.latencyMs`, input.latencyMs);
  if (input.jitterMs !== undefined) out.jitterMs = requireInteger(`${path}.jitterMs`, input.jitterMs);
  if (input.reorderDelayMs !== undefined) out.reorderDelayMs = requireInteger(`${path}.reorderDelayMs`, input.reorderDelayMs);
  if (input.bandwidthBytesPerSec !== undefined) out.bandwidthBytesPerSec = requireInteger(`${path}.bandwidthBytesPerSec`, input.bandwidthBytesPerSec);
  if (input.loss !== undefined) out.loss = requireRate(`${path}.loss`, input.loss);
  if (input.duplicate !== undefined) out.duplicate = requireRate(`${path}.duplicate`, input.duplicate);
  if (input.reorder !== undefined) out.reorder = requireRate(`${path}.reorder`, input.reorder);
  if (input.distribution !== undefined) {
    if (input.distribution !== 'uniform' && input.distribution !== 'exponential') {
      throw new FaultInputError({ path: `${path}.distribution`, message: `must be "uniform" or "exponential", got ${JSON.stringify(input.distribution)}` });
    }
    out.distribution = input.distribution;
  }
  return out;
}

/**
 * A fault's change to a set of links. Overlays compose: latencies add,
 * probabilities combine as independent events (1 - (1-a)(1-b)), and the
 * tightest bandwidth limit wins.
 */
export interface LinkOverlay {
  addLatencyMs?: number;
  addJitterMs?: number;
  loss?: number;
  duplicate?: number;
  reorder?: number;
  reorderDelayMs?: number;
  bandwidthBytesPerSec?: number;
}

export function applyOverlay(link: LinkConditions, o: LinkOverlay): void {
  if (o.addLatencyMs) link.latencyMs += o.addLatencyMs;
  if (o.addJitterMs) link.jitterMs += o.addJitterMs;
  if (o.loss) link.loss = 1 - (1 - link.loss) * (1 - o.loss);
  if (o.duplicate) link.duplicate = 1 - (1 - link.duplicate) * (1 - o.duplicate);
  if (o.reorder) {
    link.reorder = 1 - (1 - link.reorder) * (1 - o.reorder);
    link.reorderDelayMs = Math.max(link.reorderDelayMs, o.reorderDelayMs ?? 0);
  }
  if (o.bandwidthBytesPerSec) {
    link.bandwidthBytesPerSec = link.bandwidthBytesPerSec === 0 ? o.bandwidthBytesPerSec : Math.min(link.bandwidthBytesPerSec, o.bandwidthBytesPerSec);
  }
}
