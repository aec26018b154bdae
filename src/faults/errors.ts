/** One problem with user input: where it is and what was expected. */
export interface InputIssue {
  /** Path of the offending field, e.g. `faults[2].rate`. */
  path: string;
  /** What was expected and what was found, e.g. `must be between 0 and 1, got 1.5`. */
  message: string;
}

/**
 * Bad input to the world (an unknown host, a negative duration, a loss rate
 * outside 0..1, contradictory faults). Carries every issue found, each
 * naming the field and the value, so a user fixes them all in one go.
 */
export class FaultInputError extends Error {
  readonly issues: readonly InputIssue[];

  constructor(issues: InputIssue[] | InputIssue) {
    const list = Array.isArray(issues) ? issues : [issues];
    super(list.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n'));
    this.name = 'FaultInputError';
    this.issues = list;
  }
}

/** Throws a FaultInputError unless `value` is an integer >= min. */
export function requireInteger(path: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new FaultInputError({ path, message: `must be an integer >= ${min}, got ${describe(value)}` });
  }
  return value;
}

/** Throws a FaultInputError unless `value` is a number in [0, 1]. */
export function requireRate(path: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new FaultInputError({ path, message: `must be a number between 0 and 1, got ${describe(value)}` });
  }
  return value;
}

/** A short, quoted rendering of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
