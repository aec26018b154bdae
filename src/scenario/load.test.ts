import { describe, expect, it } from 'vitest';
import { loadScenarios } from './load.js';
import { ScenarioLoadError } from './problems.js';

const files: Record<string, string> = { '/s/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web }\n' };
const read = (p: string) => {
  if (files[p] === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  return files[p]!;
};
const load = (text: string) => loadScenarios(text, '/s/test.yaml', read);
const problems = (text: string): string[] => {
  try {
    load(text);
  } catch (e) {
    if (e instanceof ScenarioLoadError) return e.message.split('\n');
    throw e;
  }
  return [];
};

const GOOD = `
apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: rollout, tags: [rollouts] }
spec:
  cluster: { nodes: 2 }
  matrix: { replicas: [2, 4] }
  templates:
    settle:
      params: [for]
      steps:
      - advance: \${{ for }}
  steps:
  - name: deploy
    apply: { file: web.yaml }
  - scale: { kind: Deployment, name: web, replicas: "\${{ replicas }}" }
  - use: settle
    with: { for: 30s }
  - name: cut
    fault: { name: cut, kind: partition, groups: [[node-1], [control-plane]] }
  - heal: cut
---
apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: second }
spec:
  steps:
  - advance: 1s
`;

describe('scenario loading', () => {
  it('loads several scenarios per file, expands the matrix and inlines templates', () => {
    const loaded = load(GOOD);
    expect(loaded.map((s) => s.name)).toEqual(['rollout[replicas=2]', 'rollout[replicas=4]', 'second']);
    const steps = loaded[1]!.doc.spec.steps as any[];
    expect(steps[1].scale.replicas).toBe(4);
    expect(steps[2]).toEqual({ name: 'settle', try: [{ advance: '30s' }] });
    expect(loaded[0]!.params).toEqual({ replicas: 2 });
  });

  it('reports every schema problem with file, line and path', () => {
    const text = `apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: Bad_Name }
spec:
  cluster: { nodes: 2, controlPlane: 2 }
  steps:
  - wiat: { timeout: 30s }
  - wait: { resource: { kind: Pod, name: x }, timeout: soon }
  - advance: 30
`;
    expect(problems(text)).toEqual([
      "/s/test.yaml:3:13: metadata.name: must be a lower-case name of letters, digits and '-', starting and ending with a letter or digit, got \"Bad_Name\"",
      '/s/test.yaml:5:24: spec.cluster.controlPlane: expected one of 1, 3, 5, got 2',
      '/s/test.yaml:7:5: spec.steps[0].wiat: unknown field (expected one of name, apply, delete, patch, scale, setImage, rolloutUndo, cordon, uncordon, drain, wait, expect, advance, fault, heal, kubectl, try, catch, finally, use, with)',
      '/s/test.yaml:8:47: spec.steps[1].wait.timeout: expected a duration such as 30s, 2m or 1h30m, got "soon"',
      '/s/test.yaml:9:5: spec.steps[2].advance: expected a string, got 30',
    ]);
  });

  it('reports what a schema cannot: unknown hosts, faults, templates, expressions, files, several actions', () => {
    const text = `apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: bad }
spec:
  steps:
  - fault: { kind: partition, groups: [[node-9], [control-plane]] }
  - heal: nope
  - use: missing
  - expect: { resource: { kind: Pod, name: x }, expression: "status.[" }
  - apply: { file: gone.yaml }
  - advance: 1s
    heal: nope
`;
    const out = problems(text);
    expect(out.some((l) => /^\/s\/test\.yaml:6:\d+: spec\.steps\[0\]\.fault\.groups\[0\]/.test(l) && l.includes('node-9'))).toBe(true);
    expect(out).toContain('/s/test.yaml:7:5: spec.steps[1].heal: no fault named "nope" was injected before this step');
    expect(out).toContain('/s/test.yaml:8:5: spec.steps[2].use: no template named "missing"');
    expect(out.some((l) => l.startsWith('/s/test.yaml:9:49: spec.steps[3].expect.expression: not a valid JMESPath expression'))).toBe(true);
    expect(out).toContain('/s/test.yaml:10:14: spec.steps[4].apply.file: no such file: gone.yaml');
    expect(out).toContain('/s/test.yaml:11:5: spec.steps[5]: expected one action, got advance and heal');
  });

  it('not YAML at all: the parser\'s position', () => {
    expect(problems('spec: [unclosed\n')[0]).toMatch(/^\/s\/test\.yaml:\d+:\d+: not valid YAML: /);
  });
});

describe('the shipped JSON Schema', () => {
  it('schema/scenario.schema.json is the schema the loader checks against (regenerate with `npx crucible schema > schema/scenario.schema.json`)', async () => {
    const { readFileSync } = await import('node:fs');
    const { SCENARIO_SCHEMA } = await import('./schema.js');
    expect(JSON.parse(readFileSync(new URL('../../schema/scenario.schema.json', import.meta.url), 'utf8'))).toEqual(JSON.parse(JSON.stringify(SCENARIO_SCHEMA)));
  });

  it('every starter scenario validates against it with a standard validator', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { Ajv } = await import('ajv');
    const { parseAllDocuments } = await import('yaml');
    const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(new URL('../../schema/scenario.schema.json', import.meta.url), 'utf8')));
    const root = new URL('../../scenarios/', import.meta.url);
    for (const area of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const f of readdirSync(new URL(`${area.name}/`, root))) {
        for (const doc of parseAllDocuments(readFileSync(new URL(`${area.name}/${f}`, root), 'utf8'))) {
          const ok = validate(doc.toJS());
          expect(ok, `${area.name}/${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
        }
      }
    }
  });
});
