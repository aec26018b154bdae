import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKubeVersions } from './resource-types.js';
import { validateAgainstSchema } from './schema-validation.js';
import { applyDefaults, pruneNonNullableNulls, pruneUnknown, type Schema } from './structural.js';

const widget: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 10 },
        color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
        name: { type: 'string', maxLength: 5, minLength: 2, pattern: '^[a-z]+$' },
        tags: { type: 'array', maxItems: 3, minItems: 1, items: { type: 'string' } },
        port: { 'x-kubernetes-int-or-string': true },
        ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { mode: { type: 'string' } } },
        ratio: { type: 'number', nullable: true },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

const texts = (o: unknown) => validateAgainstSchema(o, widget).map(String);
const meta = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };

describe('custom resource schemas (apiextensions-apiserver + kube-openapi texts)', () => {
  it.each([
    [{ size: 'three' }, 'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"'],
    [{ size: 2.5 }, 'spec.size: Invalid value: "number": spec.size in body must be of type integer: "number"'],
    [{ size: 20 }, 'spec.size: Invalid value: 20: spec.size in body should be less than or equal to 10'],
    [{ size: 0 }, 'spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1'],
    [{}, 'spec.size: Required value'],
    [{ size: 1, color: 'pink' }, 'spec.color: Unsupported value: "pink": supported values: "red", "blue"'],
    [{ size: 1, name: 'abcdef' }, 'spec.name: Too long: may not be longer than 5'],
    [{ size: 1, name: 'a' }, 'spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long'],
    [{ size: 1, name: 'AB' }, "spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'"],
    [{ size: 1, tags: ['a', 'b', 'c', 'd'] }, 'spec.tags: Too many: 4: must have at most 3 items'],
    [{ size: 1, tags: [] }, 'spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items'],
    [{ size: 1, tags: [1] }, 'spec.tags[0]: Invalid value: "integer": spec.tags[0] in body must be of type string: "integer"'],
    [{ size: 1, port: true }, 'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"'],
    [{ size: 1, labels: { a: 1 } }, 'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"'],
    [{ size: 1, ports: [{ port: 'x' }] }, 'spec.ports[0].port: Invalid value: "string": spec.ports[0].port in body must be of type integer: "string"'],
  ])('%j → %s', (spec, text) => {
    expect(texts({ ...meta, spec })).toEqual([text]);
  });

  it('valid objects pass: int-or-string both ways, a nullable null, integers as numbers', () => {
    expect(texts({ ...meta, spec: { size: 3, port: 8080, ratio: null } })).toEqual([]);
    expect(texts({ ...meta, spec: { size: 3, port: 'http', ratio: 1 } })).toEqual([]);
  });

  it('prunes undeclared fields, keeps preserve-unknown-fields subtrees and the root type meta, and names what it dropped', () => {
    const o = { ...meta, spec: { size: 1, sise: 2, config: { anything: { deep: 1 }, mode: 'x' }, ports: [{ port: 1, nmae: 'p' }] }, extra: true };
    expect(pruneUnknown(o, widget)).toEqual(['spec.sise', 'spec.ports[0].nmae', 'extra']);
    expect(o).toEqual({ ...meta, spec: { size: 1, config: { anything: { deep: 1 }, mode: 'x' }, ports: [{ port: 1 }] } });
  });

  it('defaults absent fields and non-nullable nulls, in list items too; other non-nullable nulls are dropped', () => {
    const o: any = { ...meta, spec: { size: 1, color: null, name: null, ratio: null, ports: [{ port: 80 }] } };
    pruneNonNullableNulls(o, widget);
    applyDefaults(o, widget);
    expect(o.spec).toEqual({ size: 1, color: 'red', ratio: null, ports: [{ port: 80, protocol: 'TCP' }] });
  });

  it('property: after pruning, every field left is declared (or preserved), and pruning again finds nothing', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), tie('object')),
      object: fc.dictionary(fc.constantFrom('size', 'color', 'ports', 'port', 'config', 'mode', 'labels', 'x', 'spec', 'status', 'ready'), tie('value'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(json.object, (spec) => {
        const o = { ...meta, spec: structuredClone(spec), status: structuredClone(spec) };
        pruneUnknown(o, widget);
        expect(pruneUnknown(o, widget)).toEqual([]);
        const declared = (v: unknown, s: Schema): boolean =>
          typeof v !== 'object' || v === null
            ? true
            : Array.isArray(v)
              ? v.every((x) => s.items === undefined || declared(x, s.items))
              : s['x-kubernetes-preserve-unknown-fields'] === true ||
                Object.entries(v).every(([k, x]) => {
                  const cs = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
                  return cs !== undefined && declared(x, cs);
                });
        expect(declared({ spec: o.spec, status: o.status }, widget)).toBe(true);
      }),
    );
  });

  it('versions sort as Kubernetes sorts them (CompareKubeAwareVersionStrings)', () => {
    const versions = ['v1alpha1', 'foo1', 'v11alpha2', 'v12beta3', 'v10beta3', 'v3beta1', 'v10', 'v2', 'v1', 'foo10', 'v1beta1'];
    expect([...versions].sort(compareKubeVersions)).toEqual(['v10', 'v2', 'v1', 'v12beta3', 'v10beta3', 'v3beta1', 'v1beta1', 'v11alpha2', 'v1alpha1', 'foo1', 'foo10']);
  });
});
