/**
 * Virtual milliseconds to the RFC 3339 timestamps Kubernetes writes
 * (`2026-01-01T00:00:05Z`, second precision). `new Date(ms)` converts a given
 * instant and reads no clock, so this is deterministic.
 */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** MicroTime, as Lease renewTime and event times are written: `2026-01-01T00:00:05.123000Z`. */
export function rfc3339Micro(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  return `${iso.slice(0, 23)}000Z`;
}

/** RFC 3339 with nanoseconds, as the CRI log and `kubectl logs --timestamps` print it. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  return `${iso.slice(0, 23)}000000Z`;
}

/** The inverse, for comparing stored timestamps with a clock. */
export function parseRfc3339(text: string): number {
  return Date.parse(text);
}

/** Virtual time 0 is this instant, so timestamps look like real ones. */
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1);
