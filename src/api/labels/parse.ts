import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import { isLabelKey, isLabelValue } from '../validation/names.js';
import { Selector, type Operator, type Requirement } from './selector.js';

/** A selector string that does not parse; the message follows upstream's parser. */
export class SelectorParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorParseError';
  }
}

type Token =
  | { kind: 'id'; text: string }
  | { kind: 'op'; text: '=' | '==' | '!=' | '!' | '(' | ')' | ',' | '>' | '<' }
  | { kind: 'in' | 'notin'; text: string }
  | { kind: 'end'; text: '' };

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);

/** Split a selector string into tokens (upstream labels.Lexer). */
function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (SPECIAL.has(c)) {
      const two = input.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        tokens.push({ kind: 'op', text: two });
        i += 2;
      } else {
        tokens.push({ kind: 'op', text: c as '=' });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < input.length && !SPECIAL.has(input[j]!) && !/\s/.test(input[j]!)) j++;
    const text = input.slice(i, j);
    tokens.push(text === 'in' || text === 'notin' ? { kind: text, text } : { kind: 'id', text });
    i = j;
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

const describeToken = (t: Token): string => (t.kind === 'end' ? '' : t.text);

/**
 * Parse a selector string such as `app=web,tier in (db,cache),!legacy`.
 * An empty string selects everything. Keys and values are validated as
 * label keys and values; errors name what was found and what was expected.
 */
export function parseSelector(input: string): Selector {
  const tokens = lex(input);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const requirements: Requirement[] = [];
  if (peek().kind === 'end') return Selector.everything();
  for (;;) {
    requirements.push(parseRequirement());
    const t = next();
    if (t.kind === 'end') break;
    if (!(t.kind === 'op' && t.text === ',')) throw new SelectorParseError(`found '${describeToken(t)}', expected: ',' or 'end of string'`);
    if (peek().kind === 'end') throw new SelectorParseError("found '', expected: identifier after ','");
  }
  return Selector.of(requirements);

  function parseRequirement(): Requirement {
    let t = next();
    if (t.kind === 'op' && t.text === '!') {
      t = next();
      if (t.kind !== 'id') throw new SelectorParseError(`found '${describeToken(t)}', expected: identifier after '!'`);
      return requirement(t.text, '!', []);
    }
    if (t.kind !== 'id') throw new SelectorParseError(`found '${describeToken(t)}', expected: !, identifier, or 'end of string'`);
    const key = t.text;
    const after = peek();
    if (after.kind === 'end' || (after.kind === 'op' && after.text === ',')) return requirement(key, 'exists', []);
    const op = next();
    let operator: Operator;
    if (op.kind === 'in' || op.kind === 'notin') operator = op.kind;
    else if (op.kind === 'op' && (op.text === '=' || op.text === '==' || op.text === '!=')) operator = op.text;
    else if (op.kind === 'op' && op.text === '>') operator = 'gt';
    else if (op.kind === 'op' && op.text === '<') operator = 'lt';
    else throw new SelectorParseError(`found '${describeToken(op)}', expected: in, notin, =, ==, !=, gt, lt`);
    if (operator === 'in' || operator === 'notin') {
      const open = next();
      if (!(open.kind === 'op' && open.text === '(')) throw new SelectorParseError(`found '${describeToken(open)}', expected: '('`);
      const values: string[] = [];
      for (;;) {
        const v = next();
        if (v.kind === 'op' && v.text === ')') {
          if (values.length === 0 || tokens[pos - 2]?.text === ',') values.push('');
          break;
        }
        if (v.kind === 'id' || v.kind === 'in' || v.kind === 'notin') {
          values.push(v.text);
          const sep = next();
          if (sep.kind === 'op' && sep.text === ')') break;
          if (!(sep.kind === 'op' && sep.text === ',')) throw new SelectorParseError(`found '${describeToken(sep)}', expected: ',' or ')'`);
        } else if (v.kind === 'op' && v.text === ',') {
          values.push('');
        } else {
          throw new SelectorParseError(`found '${describeToken(v)}', expected: ',', ')' or identifier`);
        }
      }
      return requirement(key, operator, values);
    }
    const v = peek();
    // `key=` selects the empty value.
    if (v.kind === 'end' || (v.kind === 'op' && v.text === ',')) return requirement(key, operator, ['']);
    next();
    if (v.kind !== 'id' && v.kind !== 'in' && v.kind !== 'notin') throw new SelectorParseError(`found '${describeToken(v)}', expected: identifier`);
    return requirement(key, operator, [v.text]);
  }
}

/** Build and check one requirement (upstream labels.NewRequirement). */
export function requirement(key: string, operator: Operator, values: readonly string[]): Requirement {
  const errors: FieldError[] = [];
  for (const m of isLabelKey(key)) errors.push(fieldErrors.invalid('key', key, m));
  const unique = [...new Set(values)].sort();
  switch (operator) {
    case 'in':
    case 'notin':
      if (unique.length === 0) errors.push(fieldErrors.invalid('values', unique, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (unique.length !== 1) errors.push(fieldErrors.invalid('values', unique, "exact-match compatibility requires one single value"));
      break;
    case 'exists':
    case '!':
      if (unique.length !== 0) errors.push(fieldErrors.invalid('values', unique, "values set must be empty for exists and does not exist"));
      break;
    case 'gt':
    case 'lt':
      if (unique.length !== 1) errors.push(fieldErrors.invalid('values', unique, "for 'Gt', 'Lt' operators, exactly one value is required"));
      else if (!/^[+-]?\d+$/.test(unique[0]!)) errors.push(fieldErrors.invalid('values[0]', unique[0], "for 'Gt', 'Lt' operators, the value must be an integer"));
      break;
  }
  if (operator !== 'gt' && operator !== 'lt') {
    unique.forEach((v, i) => {
      for (const m of isLabelValue(v)) errors.push(fieldErrors.invalid(`values[${i}]`, v, m));
    });
  }
  if (errors.length > 0) throw new SelectorParseError(errors.length === 1 ? errors[0]!.toString() : `[${errors.map(String).join(', ')}]`);
  return { key, operator, values: unique };
}
