import { parseGoDuration } from '../../api/duration.js';
import { formatQuantity, tryParseQuantity, type QuantityFormat } from '../../api/quantity.js';

/** The eviction signals the kubelet observes (upstream pkg/kubelet/eviction/api/types.go, Linux). */
export const SIGNALS = ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree', 'pid.available'] as const;
export type Signal = (typeof SIGNALS)[number];

export type PressureCondition = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

/** upstream helpers.go signalToNodeCondition. */
export const SIGNAL_CONDITION: Record<Signal, PressureCondition> = {
  'memory.available': 'MemoryPressure',
  'nodefs.available': 'DiskPressure',
  'nodefs.inodesFree': 'DiskPressure',
  'imagefs.available': 'DiskPressure',
  'imagefs.inodesFree': 'DiskPressure',
  'pid.available': 'PIDPressure',
};

/** upstream helpers.go signalToResource: the resource named in events and eviction messages. */
export const SIGNAL_RESOURCE: Record<Signal, 'memory' | 'ephemeral-storage' | 'inodes' | 'pids'> = {
  'memory.available': 'memory',
  'nodefs.available': 'ephemeral-storage',
  'nodefs.inodesFree': 'inodes',
  'imagefs.available': 'ephemeral-storage',
  'imagefs.inodesFree': 'inodes',
  'pid.available': 'pids',
};

/** kubelet's default --eviction-hard on Linux (upstream pkg/kubelet/eviction/defaults_linux.go). */
export const DEFAULT_EVICTION_HARD: Readonly<Record<string, string>> = {
  'memory.available': '100Mi',
  'nodefs.available': '10%',
  'nodefs.inodesFree': '5%',
  'imagefs.available': '15%',
};

/** The kubelet's --eviction-* settings (KubeletConfiguration evictionHard, evictionSoft, …). */
export interface EvictionConfig {
  /** Replaces the defaults when given: setting one hard threshold leaves the others unset, as the kubelet does. */
  hard?: Record<string, string>;
  soft?: Record<string, string>;
  /** Go durations by signal; every soft threshold needs one. */
  softGracePeriod?: Record<string, string>;
  /** Longest grace a pod gets when a soft threshold evicts it (evictionMaxPodGracePeriod, default 0). */
  maxPodGracePeriodSeconds?: number;
  /** Go duration a pressure condition stays after its signal recovers (evictionPressureTransitionPeriod, default 5m). */
  pressureTransitionPeriod?: string;
}

export interface Threshold {
  signal: Signal;
  /** An absolute amount (bytes, inodes, pids) or a fraction of capacity. */
  quantity?: number;
  fraction?: number;
  /** How the quantity prints in messages: as written (canonical), a percentage's amount as BinarySI. */
  format: QuantityFormat;
  /** 0 for a hard threshold. */
  gracePeriodMs: number;
  hard: boolean;
}

export interface ParsedEvictionConfig {
  thresholds: Threshold[];
  maxPodGracePeriodSeconds: number;
  pressureTransitionMs: number;
}

/** A bad --eviction-* setting, with upstream's text. */
export class EvictionConfigError extends Error {}

const isSignal = (s: string): s is Signal => (SIGNALS as readonly string[]).includes(s);
const unsupported = (signal: string) => new EvictionConfigError(`unsupported eviction signal ${signal}`);

/**
 * One `signal<value` statement (upstream helpers.go
 * parseThresholdStatement): "0%" and "100%" switch the threshold off; a
 * percentage must lie in 0–100 %; a quantity must be positive.
 */
function parseStatement(signal: string, value: string, gracePeriodMs: number, hard: boolean): Threshold | undefined {
  if (!isSignal(signal)) throw unsupported(signal);
  if (value.endsWith('%')) {
    if (value === '0%' || value === '100%') return undefined;
    const pct = Number(value.slice(0, -1));
    if (value.length === 1 || !Number.isFinite(pct)) throw new EvictionConfigError(`strconv.ParseFloat: parsing "${value.slice(0, -1)}": invalid syntax`);
    if (pct < 0) throw new EvictionConfigError(`eviction percentage threshold ${signal} must be >= 0%: ${value}`);
    if (pct > 100) throw new EvictionConfigError(`eviction percentage threshold ${signal} must be <= 100%: ${value}`);
    // Go keeps the percentage as float32(value) / 100 (parsePercentage), so 10% is 0.10000000149…
    return { signal, fraction: Math.fround(Math.fround(pct) / 100), format: 'BinarySI', gracePeriodMs, hard };
  }
  const q = tryParseQuantity(value);
  if (q === undefined) throw new EvictionConfigError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  if (q.value <= 0) throw new EvictionConfigError(`eviction threshold ${signal} must be positive: ${value}`);
  return { signal, quantity: q.value, format: q.format, gracePeriodMs, hard };
}

/**
 * The thresholds from the kubelet's settings (upstream helpers.go
 * ParseThresholdConfig): hard ones first, then soft ones, each of which must
 * have a grace period.
 */
export function parseEvictionConfig(config: EvictionConfig = {}): ParsedEvictionConfig {
  const thresholds: Threshold[] = [];
  for (const [signal, value] of Object.entries(config.hard ?? DEFAULT_EVICTION_HARD)) {
    const t = parseStatement(signal, value, 0, true);
    if (t !== undefined) thresholds.push(t);
  }
  const grace = new Map<string, number>();
  for (const [signal, text] of Object.entries(config.softGracePeriod ?? {})) {
    if (!isSignal(signal)) throw unsupported(signal);
    const ms = parseGoDuration(text);
    if (ms === undefined) throw new EvictionConfigError(`time: invalid duration "${text}"`);
    if (ms < 0) throw new EvictionConfigError(`invalid eviction grace period specified: ${text}, must be a positive value`);
    grace.set(signal, ms);
  }
  for (const [signal, value] of Object.entries(config.soft ?? {})) {
    const t = parseStatement(signal, value, 0, false);
    if (t === undefined) continue;
    const ms = grace.get(signal);
    if (ms === undefined) throw new EvictionConfigError(`grace period must be specified for the soft eviction threshold ${signal}`);
    thresholds.push({ ...t, gracePeriodMs: ms });
  }
  const transition = config.pressureTransitionPeriod ?? '5m';
  const pressureTransitionMs = parseGoDuration(transition);
  if (pressureTransitionMs === undefined) throw new EvictionConfigError(`time: invalid duration "${transition}"`);
  return { thresholds, maxPodGracePeriodSeconds: config.maxPodGracePeriodSeconds ?? 0, pressureTransitionMs };
}

/** The threshold as an amount for a capacity (upstream GetThresholdQuantity: int64(capacity × percentage)). */
export function thresholdAmount(t: Threshold, capacity: number): number {
  return t.quantity ?? Math.trunc(capacity * (t.fraction ?? 0));
}

/** The threshold for a capacity as upstream prints it in "Threshold quantity: …". */
export function formatThreshold(t: Threshold, capacity: number): string {
  return formatQuantity({ value: thresholdAmount(t, capacity), format: t.format });
}

/** What the hard thresholds take out of allocatable (upstream hardEvictionReservation: memory.available and nodefs.available). */
export function hardEvictionReservation(thresholds: readonly Threshold[], capacity: { memory: number; ephemeralStorage: number }): { memory: number; ephemeralStorage: number } {
  const find = (s: Signal) => thresholds.find((t) => t.hard && t.signal === s);
  const mem = find('memory.available');
  const fs = find('nodefs.available');
  return {
    memory: mem === undefined ? 0 : thresholdAmount(mem, capacity.memory),
    ephemeralStorage: fs === undefined ? 0 : thresholdAmount(fs, capacity.ephemeralStorage),
  };
}
