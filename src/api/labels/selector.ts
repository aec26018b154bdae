// Label selectors as upstream models them (k8s apimachinery/pkg/labels/selector.go):
// a conjunction of requirements, each on one key.

export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export type Labels = Readonly<Record<string, string>> | undefined | null;

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Sorted, deduplicated values (one for =, ==, !=, gt, lt; none for exists and !). */
  readonly values: readonly string[];
}

const has = (labels: Labels, key: string): boolean => labels != null && Object.prototype.hasOwnProperty.call(labels, key);

/** upstream Requirement.Matches. */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has(labels, r.key) && r.values.includes(labels![r.key]!);
    case '!=':
    case 'notin':
      // A missing label satisfies a negative requirement.
      return !has(labels, r.key) || !r.values.includes(labels![r.key]!);
    case 'exists':
      return has(labels, r.key);
    case '!':
      return !has(labels, r.key);
    case 'gt':
    case 'lt': {
      if (!has(labels, r.key)) return false;
      const raw = labels![r.key]!;
      if (!/^[+-]?\d+$/.test(raw)) return false;
      const actual = Number(raw);
      const bound = Number(r.values[0]);
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** upstream Requirement.String. */
export function requirementString(r: Requirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

/**
 * A label selector: matches when every requirement does. `Selector.everything()`
 * (no requirements) matches all objects; `Selector.nothing()` matches none —
 * what a null LabelSelector means (upstream labels.Nothing()).
 */
export class Selector {
  private constructor(
    readonly requirements: readonly Requirement[],
    private readonly matchesNothing: boolean,
  ) {}

  /** Requirements are kept sorted by key, as upstream does after parsing. */
  static of(requirements: readonly Requirement[]): Selector {
    const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return new Selector(sorted, false);
  }

  static everything(): Selector {
    return new Selector([], false);
  }

  static nothing(): Selector {
    return new Selector([], true);
  }

  get empty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  get isNothing(): boolean {
    return this.matchesNothing;
  }

  matches(labels: Labels): boolean {
    if (this.matchesNothing) return false;
    for (const r of this.requirements) if (!requirementMatches(r, labels)) return false;
    return true;
  }

  /**
   * The value this selector pins `key` to, if a requirement demands exactly
   * one value for it (=, == or a one-value in). Indexes use it to find
   * candidates without scanning everything.
   */
  requiredValue(key: string): string | undefined {
    for (const r of this.requirements) {
      if (r.key === key && (r.operator === '=' || r.operator === '==' || (r.operator === 'in' && r.values.length === 1))) return r.values[0];
    }
    return undefined;
  }

  /** The canonical string: requirements by key, joined with ','. */
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}
