import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, serveForKubectl, type ServedCluster } from './testing/kubectl.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: gadgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: gadgets, kind: Gadget, shortNames: [gd] }
  versions:
  - name: v1
    served: true
    storage: true
    subresources: { status: {}, scale: { specReplicasPath: .spec.size, statusReplicasPath: .status.size } }
    additionalPrinterColumns:
    - { name: Size, type: integer, jsonPath: .spec.size }
    - { name: Color, type: string, jsonPath: .spec.color }
    - { name: Ready, type: boolean, jsonPath: .status.ready, priority: 1 }
    - { name: Age, type: date, jsonPath: .metadata.creationTimestamp }
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            x-kubernetes-validations:
            - { rule: "self.size <= 8 || self.color == 'blue'", message: big gadgets must be blue }
            properties:
              size: { type: integer, minimum: 1, maximum: 10 }
              color: { type: string, enum: [red, blue], default: red }
          status:
            type: object
            properties:
              ready: { type: boolean }
`;

/** CustomResourceDefinitions through the real kubectl 1.32: established, schema-checked objects, printer columns, deletion. */
let served: ServedCluster;
const kubectl = (...args: string[]) => served.kubectl(...args);
const file = (name: string, yaml: string) => {
  const path = join(served.dir, `${name}.yaml`);
  writeFileSync(path, yaml);
  return path;
};
const gadget = (name: string, spec: string) => `apiVersion: example.com/v1\nkind: Gadget\nmetadata: { name: ${name} }\nspec: ${spec}\n`;

describe.skipIf(!hasKubectl)('kubectl 1.32 and custom resources', () => {
  beforeAll(async () => {
    served = await serveForKubectl('kubectl-crd', { nodes: 1 });
  });
  afterAll(async () => served?.close());

  it('a CRD is established; objects are defaulted and checked against its schema with the API server texts', async () => {
    expect((await kubectl('apply', '-f', file('crd', CRD))).stdout).toBe('customresourcedefinition.apiextensions.k8s.io/gadgets.example.com created\n');
    expect((await kubectl('wait', '--for', 'condition=established', '--timeout=10s', 'crd/gadgets.example.com')).stdout).toBe('customresourcedefinition.apiextensions.k8s.io/gadgets.example.com condition met\n');
    const created = await kubectl('apply', '-f', file('g1', gadget('g1', '{ size: 3 }')));
    expect([created.code, created.stdout]).toEqual([0, 'gadget.example.com/g1 created\n']);
    expect((await kubectl('get', 'gadget', 'g1', '-o', 'jsonpath={.spec.color}')).stdout).toBe('red');
    // kubectl asks for strict field validation: an unknown field is refused, with the decoder's text.
    const unknown = await kubectl('apply', '-f', file('g2', gadget('g2', '{ size: 3, sise: 4 }')));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Gadget in version "v1" cannot be handled as a Gadget: strict decoding error: unknown field "spec\.sise"/);
    const invalid = await kubectl('apply', '-f', file('g3', gadget('g3', '{ size: 20, color: pink }')));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('The Gadget "g3" is invalid: \n* ');
    expect(invalid.stderr).toContain('\n* spec.size: Invalid value: 20: spec.size in body should be less than or equal to 10\n');
    expect(invalid.stderr).toContain('\n* spec.color: Unsupported value: "pink": supported values: "red", "blue"\n');
    // The CRD's CEL rule (x-kubernetes-validations).
    const rule = await kubectl('apply', '-f', file('g5', gadget('g5', '{ size: 9 }')));
    expect([rule.code, rule.stderr]).toEqual([1, 'The Gadget "g5" is invalid: spec: Invalid value: big gadgets must be blue\n']);
  });

  it('get prints the additionalPrinterColumns (priority 1 with -o wide; nothing for a missing value)', async () => {
    await kubectl('apply', '-f', file('g4', gadget('g4', '{ size: 7, color: blue }')));
    await kubectl('patch', 'gadget', 'g4', '--subresource=status', '--type=merge', '-p', '{"status":{"ready":true}}');
    const table = (await kubectl('get', 'gd')).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME +SIZE +COLOR +AGE$/);
    expect(table[1]).toMatch(/^g1 +3 +red +\d+s$/);
    expect(table[2]).toMatch(/^g4 +7 +blue +\d+s$/);
    const wide = (await kubectl('get', 'gadgets', '-o', 'wide')).stdout.split('\n');
    expect(wide[0]).toMatch(/^NAME +SIZE +COLOR +READY +AGE$/);
    expect(wide[1]).toMatch(/^g1 +3 +red {13}\d+s$/);
    expect(wide[2]).toMatch(/^g4 +7 +blue +true +\d+s$/);
  });

  it('scale goes through the scale subresource to the path the CRD names, and the schema still applies', async () => {
    const scaled = await kubectl('scale', 'gadget', 'g1', '--replicas=5');
    expect([scaled.code, scaled.stdout]).toEqual([0, 'gadget.example.com/g1 scaled\n']);
    expect((await kubectl('get', 'gadget', 'g1', '-o', 'jsonpath={.spec.size}')).stdout).toBe('5');
    const tooBig = await kubectl('scale', 'gadget', 'g1', '--replicas=50');
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toContain('spec.size: Invalid value: 50: spec.size in body should be less than or equal to 10');
  });

  it('a CRD with several served versions: discovery lists them, the preferred one is GA, objects read back at the version asked for', async () => {
    const version = (name: string, storage: boolean) => `  - name: ${name}\n    served: true\n    storage: ${storage}\n    deprecated: ${!storage}\n    schema: { openAPIV3Schema: { type: object, properties: { spec: { type: object, x-kubernetes-preserve-unknown-fields: true } } } }\n`;
    const things = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: things.example.com }\nspec:\n  group: example.com\n  scope: Namespaced\n  names: { plural: things, kind: Thing }\n  versions:\n${version('v1alpha1', false)}${version('v1', true)}`;
    expect((await kubectl('apply', '-f', file('things', things))).code).toBe(0);
    await kubectl('wait', '--for', 'condition=established', '--timeout=10s', 'crd/things.example.com');
    expect((await kubectl('api-versions')).stdout).toMatch(/\nexample\.com\/v1\nexample\.com\/v1alpha1\n/);
    const created = await kubectl('apply', '-f', file('t', 'apiVersion: example.com/v1alpha1\nkind: Thing\nmetadata: { name: t }\nspec: { a: 1 }\n'));
    expect([created.code, created.stdout]).toEqual([0, 'thing.example.com/t created\n']);
    // The preferred version is the GA one (kubectl's own discovery cache may still hold the group as it was before, so it is asked by name).
    const groups = JSON.parse((await kubectl('get', '--raw', '/apis')).stdout) as { groups: Array<{ name: string; preferredVersion: { version: string } }> };
    expect(groups.groups.find((g) => g.name === 'example.com')?.preferredVersion.version).toBe('v1');
    expect((await kubectl('get', 'things.v1.example.com', 't', '-o', 'jsonpath={.apiVersion}')).stdout).toBe('example.com/v1');
    const old = await kubectl('get', 'things.v1alpha1.example.com', 't', '-o', 'jsonpath={.apiVersion}');
    expect(old.stdout).toBe('example.com/v1alpha1');
    expect(old.stderr).toBe('Warning: example.com/v1alpha1 Thing is deprecated; use example.com/v1 Thing\n');
  });

  it('a CRD and an object of it in one file: the CRD is created, the object gets the real cluster\'s "ensure CRDs are installed first"', async () => {
    const both = `${CRD.replace(/gadgets/g, 'doodads').replace(/Gadget/g, 'Doodad').replace('shortNames: [gd]', 'shortNames: [dd]')}---\napiVersion: example.com/v1\nkind: Doodad\nmetadata: { name: d1 }\nspec: { size: 1 }\n`;
    const r = await kubectl('apply', '-f', file('both', both));
    expect(r.stdout).toBe('customresourcedefinition.apiextensions.k8s.io/doodads.example.com created\n');
    expect(r.stderr).toContain('no matches for kind "Doodad" in version "example.com/v1"\nensure CRDs are installed first\n');
    // Applied again, the type is known and the object is created.
    expect((await kubectl('apply', '-f', file('both', both))).stdout).toContain('doodad.example.com/d1 created\n');
  });

  it('delete crd removes its objects, then the type: kubectl no longer finds it', async () => {
    const deleted = await kubectl('delete', 'crd', 'gadgets.example.com', '--timeout=20s');
    expect([deleted.code, deleted.stdout]).toEqual([0, 'customresourcedefinition.apiextensions.k8s.io "gadgets.example.com" deleted\n']);
    const gone = await kubectl('get', 'gadgets');
    expect(gone.code).toBe(1);
    // kubectl's discovery cache still names the type; the API server no longer serves it.
    expect(gone.stderr).toBe('Error from server (NotFound): Unable to list "example.com/v1, Resource=gadgets": the server could not find the requested resource\n');
  });
});
