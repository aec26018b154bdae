import { describe, expect, it } from 'vitest';
import { validateRules, type CelSchema } from './cel-rules.js';
import { customResourceStrategy } from './custom-resource-strategy.js';

const schema: CelSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      'x-kubernetes-validations': [
        { rule: 'self.replicas <= self.maxReplicas', message: 'replicas must not exceed maxReplicas' },
        { rule: "!has(self.mode) || self.mode in ['a', 'b']" },
        { rule: 'self.replicas >= oldSelf.replicas', message: 'replicas may not go down', fieldPath: '.replicas' },
        { rule: 'self.ratio < 1.0', messageExpression: "'ratio ' + string(self.ratio) + ' is too big'" },
      ],
      properties: {
        replicas: { type: 'integer' },
        maxReplicas: { type: 'integer' },
        mode: { type: 'string' },
        ratio: { type: 'number' },
        name: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.lowerAscii() == self', reason: 'FieldValueForbidden', message: 'must be lower case' }] },
        ports: { type: 'array', items: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self > 1024' }] } },
        immutable: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }] },
      },
    },
  },
};
const texts = (spec: object, oldSpec?: object) => validateRules({ spec }, oldSpec === undefined ? undefined : { spec: oldSpec }, schema).map(String);
const base = { replicas: 2, maxReplicas: 3, ratio: 0.5 };

describe('x-kubernetes-validations (CEL, apiextensions-apiserver schema/cel texts)', () => {
  it('passing rules give nothing; transition rules are skipped on create', () => {
    expect(texts({ ...base, mode: 'a', name: 'abc', ports: [8080], immutable: 'x' })).toEqual([]);
  });

  it.each([
    [{ ...base, replicas: 5 }, 'spec: Invalid value: replicas must not exceed maxReplicas'],
    [{ ...base, mode: 'c' }, "spec: Invalid value: failed rule: !has(self.mode) || self.mode in ['a', 'b']"],
    [{ ...base, ratio: 1.5 }, 'spec: Invalid value: ratio 1.5 is too big'],
    [{ ...base, name: 'ABC' }, 'spec.name: Forbidden: must be lower case'],
    [{ ...base, ports: [8080, 80] }, 'spec.ports[1]: Invalid value: 80: failed rule: self > 1024'],
  ])('%j → %s', (spec, text) => expect(texts(spec)).toEqual([text]));

  it('transition rules compare with the old object, with fieldPath naming the field', () => {
    expect(texts({ ...base, replicas: 1, immutable: 'y' }, { ...base, immutable: 'x' })).toEqual(['spec.replicas: Invalid value: replicas may not go down', 'spec.immutable: Invalid value: "y": Value is immutable']);
  });

  it('a rule reading a missing field fails with the evaluation error, as cel-go words it', () => {
    const s: CelSchema = { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.a > 1' }] } } };
    expect(validateRules({ spec: {} }, undefined, s).map(String)).toEqual(['spec: Invalid value: "object": no such key: a evaluating rule: self.a > 1']);
  });

  it('schema errors that change the shape stop the rules from running (hasBlockingErr)', () => {
    const strategy = customResourceStrategy(schema, false);
    expect(strategy.validate!({ spec: { ...base, replicas: 'many' } }).map(String)).toEqual([
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
    expect(strategy.validateUpdate!({ spec: { ...base, replicas: 1 } }, { spec: base }).map(String)).toEqual(['spec.replicas: Invalid value: replicas may not go down']);
  });
});
