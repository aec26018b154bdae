import { createHash, type Hash } from 'node:crypto';

/** Fields of one trace event; values must be JSON-serialisable. */
export type TraceFields = Record<string, unknown>;

export interface TraceOptions {
  /** Keep every line in memory (for replays, reports and tests). Default false. */
  keepLines?: boolean;
  /** Called with every line as it is recorded (a real-time driver may write it to a file). */
  sink?: (line: string) => void;
}

/**
 * An append-only trace of what happened in a run: one JSON object per line,
 * `{"t":<virtual ms>,"type":"<kind>",...fields}`, with a running SHA-256 over
 * the lines. Two runs with the same seed and inputs give the same lines and
 * so the same hash; that hash is the determinism check (FoundationDB's
 * simulator and TigerBeetle's VOPR compare state hashes the same way).
 *
 * The recorder never touches a file itself: the world stays free of real I/O,
 * and a driver that wants the trace on disk passes a sink.
 */
export class Trace {
  private readonly digest: Hash = createHash('sha256');
  /** Lines not yet fed to the digest: hashing in 64 KiB chunks is several times faster than per line. */
  private unhashed = '';
  private readonly kept: string[] | undefined;
  private readonly sink: ((line: string) => void) | undefined;
  private recorded = 0;

  constructor(options: TraceOptions = {}) {
    this.kept = options.keepLines ? [] : undefined;
    this.sink = options.sink;
  }

  /** Record one event at virtual time `t`. */
  record(t: number, type: string, fields?: TraceFields): void {
    const line = fields === undefined ? `{"t":${t},"type":${JSON.stringify(type)}}` : JSON.stringify({ t, type, ...fields });
    this.append(line);
  }

  /**
   * Record an event whose fields are already serialised, as `,"k":v,...`
   * (for hot paths such as message delivery; the line is the same as
   * `record` would write for those fields).
   */
  recordSerialised(t: number, type: string, serialisedFields: string): void {
    this.append(`{"t":${t},"type":${JSON.stringify(type)}${serialisedFields}}`);
  }

  private append(line: string): void {
    this.unhashed += line + '\n';
    if (this.unhashed.length > 65_536) this.flush();
    this.recorded++;
    this.kept?.push(line);
    this.sink?.(line);
  }

  private flush(): void {
    if (this.unhashed.length === 0) return;
    this.digest.update(this.unhashed);
    this.unhashed = '';
  }

  /** Number of events recorded so far. */
  get count(): number {
    return this.recorded;
  }

  /** Hex SHA-256 of every line recorded so far (each followed by "\n"). */
  get hash(): string {
    this.flush();
    return this.digest.copy().digest('hex');
  }

  /** The recorded lines, when the trace was created with `keepLines`. */
  get lines(): readonly string[] {
    if (this.kept === undefined) throw new Error('this trace was created without keepLines: true, so it kept no lines');
    return this.kept;
  }

  /** The recorded lines parsed back into objects (keepLines only). */
  events(): Array<{ t: number; type: string } & TraceFields> {
    return this.lines.map((line) => JSON.parse(line) as { t: number; type: string } & TraceFields);
  }
}

/** SHA-256 of a list of trace lines, computed the way Trace.hash is. */
export function hashTraceLines(lines: Iterable<string>): string {
  const digest = createHash('sha256');
  for (const line of lines) {
    digest.update(line);
    digest.update('\n');
  }
  return digest.digest('hex');
}
