import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSelector, requirement, SelectorParseError } from './parse.js';
import { Selector, requirementString, type Operator, type Requirement } from './selector.js';
import { labelSelectorAsSelector, selectorFromSet, validateLabelSelector } from './label-selector.js';

const KEYS = ['app', 'tier', 'env', 'example.com/team', 'weight'];
const VALUES = ['web', 'db', 'prod', '', '3', '10'];
const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom(...VALUES.filter((v) => v !== ''));
const labelSet = fc.dictionary(key, fc.constantFrom(...VALUES), { maxKeys: 5 });

const req: fc.Arbitrary<Requirement> = fc.oneof(
  fc.tuple(key, fc.constantFrom<Operator>('=', '==', '!='), value).map(([k, op, v]) => requirement(k, op, [v])),
  fc.tuple(key, fc.constantFrom<Operator>('in', 'notin'), fc.uniqueArray(value, { minLength: 1, maxLength: 3 })).map(([k, op, vs]) => requirement(k, op, vs)),
  fc.tuple(key, fc.constantFrom<Operator>('exists', '!')).map(([k, op]) => requirement(k, op, [])),
  fc.tuple(key, fc.constantFrom<Operator>('gt', 'lt'), fc.integer({ min: -5, max: 20 })).map(([k, op, n]) => requirement(k, op, [String(n)])),
);

/** An independent reading of the rules (upstream Requirement.Matches), to compare against. */
function reference(r: Requirement, labels: Record<string, string>): boolean {
  const present = r.key in labels;
  const v = labels[r.key];
  if (r.operator === 'exists') return present;
  if (r.operator === '!') return !present;
  if (r.operator === 'gt' || r.operator === 'lt') {
    if (!present || !/^-?\d+$/.test(v!)) return false;
    return r.operator === 'gt' ? Number(v) > Number(r.values[0]) : Number(v) < Number(r.values[0]);
  }
  const inSet = present && r.values.includes(v!);
  return r.operator === '!=' || r.operator === 'notin' ? !inSet : inSet;
}

describe('label selectors', () => {
  it('a parsed selector agrees with the reference rules on random label sets', () => {
    fc.assert(
      fc.property(fc.array(req, { maxLength: 5 }), fc.array(labelSet, { minLength: 1, maxLength: 10 }), (reqs, sets) => {
        const text = reqs.map(requirementString).join(', ');
        const selector = parseSelector(text);
        for (const labels of sets) expect(selector.matches(labels)).toBe(reqs.every((r) => reference(r, labels)));
      }),
    );
  });

  it('round-trips through its canonical string', () => {
    fc.assert(
      fc.property(fc.array(req, { maxLength: 5 }), (reqs) => {
        const selector = Selector.of(reqs);
        const again = parseSelector(selector.toString());
        expect(again.toString()).toBe(selector.toString());
        expect(again.requirements).toEqual(selector.requirements);
      }),
    );
  });

  it.each([
    ['app=web,tier!=db', 'app=web,tier!=db'],
    ['tier in (web, db), app', 'app,tier in (db,web)'],
    ['!legacy,env notin (dev)', 'env notin (dev),!legacy'],
    ['weight>5', 'weight>5'],
    ['app=', 'app='],
    ['', ''],
  ])('parses %j canonically as %j', (text, canonical) => expect(parseSelector(text).toString()).toBe(canonical));

  it.each([
    ['app=web tier=db', "found 'tier', expected: ',' or 'end of string'"],
    ['app in web', "found 'web', expected: '('"],
    ['app,', "found '', expected: identifier after ','"],
    ['app=(x)', "found '(', expected: identifier"],
    ['weight>x', `values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['Bad Key=x', "found 'Key', expected: in, notin, =, ==, !=, gt, lt"],
    ['-bad=x', expect.stringMatching(/^key: Invalid value: "-bad": name part must consist of alphanumeric characters/)],
  ])('refuses %j', (text, message) => {
    expect(() => parseSelector(text)).toThrow(SelectorParseError);
    try {
      parseSelector(text);
    } catch (e) {
      expect((e as Error).message).toEqual(message);
    }
  });

  it('matches missing labels with negative requirements only', () => {
    const s = parseSelector('env!=prod,tier notin (db)');
    expect(s.matches({})).toBe(true);
    expect(s.matches({ env: 'prod' })).toBe(false);
  });

  it('converts LabelSelector: null selects nothing, {} everything', () => {
    expect(labelSelectorAsSelector(null).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorAsSelector({}).matches({ a: 'b' })).toBe(true);
    const s = labelSelectorAsSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }, { key: 'canary', operator: 'DoesNotExist' }] });
    expect(s.toString()).toBe('app=web,!canary,tier in (be,fe)');
    expect(s.matches({ app: 'web', tier: 'fe' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'fe', canary: 'y' })).toBe(false);
    expect(selectorFromSet({ app: 'web' }).matches({ app: 'web', x: 'y' })).toBe(true);
  });

  it('validates LabelSelector with upstream messages', () => {
    expect(
      validateLabelSelector(
        {
          matchLabels: { app: '-x' },
          matchExpressions: [
            { key: 'a', operator: 'In' },
            { key: 'b', operator: 'Exists', values: ['x'] },
            { key: 'c', operator: 'Near', values: ['x'] },
          ],
        },
        'spec.selector',
      ).map(String),
    ).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
      expect.stringMatching(/^spec\.selector\.matchLabels: Invalid value: "-x": a valid label must be an empty string/),
    ]);
  });
});
