import { describe, expect, it } from 'vitest';
import { validateVersionSchemas } from './crd-validation.js';

const texts = (schema: unknown) => validateVersionSchemas([{ schema: { openAPIV3Schema: schema } }]).map(String);

describe('CRD schemas must be structural (apiextensions-apiserver validateStructuralInvariants)', () => {
  it.each([
    [undefined, 'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required'],
    [{ properties: {} }, 'spec.versions[0].schema.openAPIV3Schema.type: Required value: must not be empty at the root'],
    [{ type: 'string' }, 'spec.versions[0].schema.openAPIV3Schema.type: Invalid value: "string": must be object at the root'],
    [{ type: 'object', properties: { spec: { properties: {} } } }, 'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields'],
    [{ type: 'object', properties: { tags: { type: 'array' } } }, 'spec.versions[0].schema.openAPIV3Schema.properties[tags].items: Required value: must be specified'],
    [{ type: 'object', properties: { tags: { type: 'array', items: {} } } }, 'spec.versions[0].schema.openAPIV3Schema.properties[tags].items.type: Required value: must not be empty for specified array items'],
    [{ type: 'object', properties: { tags: { type: 'array', uniqueItems: true, items: { type: 'string' } } } }, 'spec.versions[0].schema.openAPIV3Schema.properties[tags].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic'],
    [{ type: 'object', properties: { m: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } } } }, 'spec.versions[0].schema.openAPIV3Schema.properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive'],
  ])('%j', (schema, text) => expect(texts(schema)).toEqual([text]));

  it('accepts untyped nodes that preserve unknown fields or are int-or-string, and rules that compile', () => {
    expect(texts({ type: 'object', properties: { raw: { 'x-kubernetes-preserve-unknown-fields': true }, port: { 'x-kubernetes-int-or-string': true } }, 'x-kubernetes-validations': [{ rule: 'has(self.port)' }] })).toEqual([]);
  });

  it('refuses a CEL rule that does not compile, at its path', () => {
    const [text] = texts({ type: 'object', 'x-kubernetes-validations': [{ rule: 'self.size >' }] });
    expect(text).toMatch(/^spec\.versions\[0\]\.schema\.openAPIV3Schema\.x-kubernetes-validations\[0\]\.rule: Invalid value: "self\.size >": compilation failed: /);
  });
});
