import { apiErrors } from '../errors/status.js';

/** One term of a field selector: `field=value` or `field!=value`. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** A field's value as the selector sees it; a missing field reads as "". */
export type FieldSet = Readonly<Record<string, string>>;

/**
 * A field selector (upstream apimachinery/pkg/fields): a conjunction of
 * equality terms over an object's selectable fields. Terms are split on
 * unescaped ',', values may escape `\,`, `\=` and `\\`.
 */
export class FieldSelector {
  private constructor(readonly requirements: readonly FieldRequirement[]) {}

  static everything(): FieldSelector {
    return new FieldSelector([]);
  }

  static of(requirements: readonly FieldRequirement[]): FieldSelector {
    return new FieldSelector([...requirements].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0)));
  }

  get empty(): boolean {
    return this.requirements.length === 0;
  }

  matches(fields: FieldSet): boolean {
    for (const r of this.requirements) {
      const actual = fields[r.field] ?? '';
      if ((actual === r.value) !== (r.operator === '=')) return false;
    }
    return true;
  }

  /** The value a term pins `field` to, for index look-ups. */
  requiredValue(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
  }
}

function escapeValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}

/** Split on ',' not preceded by an escaping '\'. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === '\\' && i + 1 < input.length) {
      current += c + input[i + 1];
      i++;
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else current += c;
  }
  terms.push(current);
  return terms;
}

function unescape(value: string, selector: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') {
      const n = value[i + 1];
      if (n !== '\\' && n !== ',' && n !== '=') throw apiErrors.badRequest(`invalid field selector: '${selector}': invalid escape sequence`);
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw apiErrors.badRequest(`invalid field selector: '${selector}': unescaped ${c}`);
    } else out += c;
  }
  return out;
}

/** Parse `metadata.name=web,status.phase!=Running` (upstream fields.ParseSelector). */
export function parseFieldSelector(input: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(input)) {
    if (term === '') continue;
    const m = term.match(/^([^!=]*?)(!=|==|=)(.*)$/s);
    if (m === null || m[1] === '') throw apiErrors.badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    requirements.push({ field: m[1]!, operator: m[2] === '!=' ? '!=' : '=', value: unescape(m[3]!, input) });
  }
  return FieldSelector.of(requirements);
}
