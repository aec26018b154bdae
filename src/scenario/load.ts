import { dirname, resolve } from 'node:path';
import { compile } from '@jmespath-community/jmespath';
import { LineCounter, parseAllDocuments } from 'yaml';
import { CLIENT_HOST } from '../cluster/assemble.js';
import { parseManifests } from '../cluster/manifests.js';
import { topologyNodes, validateTopology } from '../cluster/topology.js';
import { checkFault, Hosts } from '../faults/index.js';
import { validateImageBehaviour } from '../workloads/behaviour.js';
import { combinations, inlineTemplates, placeholders, runName, substitute } from './expand.js';
import { positionOf, ScenarioLoadError, type Problem } from './problems.js';
import { schemaProblems } from './schema-check.js';
import { STEP_ACTIONS, type ScenarioDocument, type Step } from './types.js';

/** One runnable scenario: a document with its matrix values filled in and its templates inlined. */
export interface LoadedScenario {
  file: string;
  /** The name with matrix values: `rollout[replicas=10]`. */
  name: string;
  params: Record<string, unknown>;
  doc: ScenarioDocument;
  /** Manifest files are read relative to this directory. */
  baseDir: string;
}

type Issue = { path: string; message: string };
/** How the loader reads manifest files (the CLI passes the file system; tests pass a table). */
export type ReadFile = (path: string) => string;

/** The hosts a scenario's cluster will have, with their groups, for checking fault targets. */
function scenarioHosts(doc: ScenarioDocument): Hosts {
  const hosts = new Hosts();
  for (let i = 0; i < (doc.spec.cluster?.controlPlane ?? 1); i++) hosts.add(`cp-${i}`, ['control-plane']);
  for (const n of topologyNodes(doc.spec.cluster ?? {})) hosts.add(n.name, ['nodes', ...(n.zone !== undefined ? [`zone-${n.zone}`] : [])]);
  hosts.add(CLIENT_HOST, ['clients']);
  return hosts;
}

/** Checks a schema cannot express: one action per step, known templates, faults, hosts, expressions, files. */
function semanticProblems(doc: ScenarioDocument, baseDir: string, readFile: ReadFile): Issue[] {
  const issues: Issue[] = [];
  const spec = doc.spec;
  issues.push(...validateTopology(spec.cluster ?? {}, 'spec.cluster').map(split));
  for (const [ref, b] of Object.entries(spec.images ?? {})) issues.push(...validateImageBehaviour(b, `spec.images[${JSON.stringify(ref)}]`).map((m) => ({ path: '', message: m })));
  if (issues.length > 0) return issues.map((i) => (i.path === '' ? split(i.message) : i));
  const hosts = scenarioHosts(doc);
  const stepNames = new Set<string>();
  const faults = new Set<string>();
  const expression = (text: string | undefined, path: string) => {
    if (text === undefined) return;
    try {
      compile(text);
    } catch (e) {
      issues.push({ path, message: `not a valid JMESPath expression: ${(e as Error).message}` });
    }
  };
  const file = (f: string, path: string) => {
    try {
      parseManifests(readFile(resolve(baseDir, f)), f);
    } catch (e) {
      issues.push({ path, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? `no such file: ${f}` : (e as Error).message });
    }
  };
  const check = (c: { resource?: unknown; list?: unknown; expression?: string; count?: number }, path: string, needsTarget = true) => {
    if (needsTarget && (c.resource === undefined) === (c.list === undefined)) issues.push({ path, message: 'expected exactly one of resource or list' });
    if (c.count !== undefined && c.list === undefined) issues.push({ path: `${path}.count`, message: 'count needs list' });
    expression(c.expression, `${path}.expression`);
  };
  const walk = (steps: Step[], path: string, nested: boolean) =>
    steps.forEach((step, i) => {
      const p = `${path}[${i}]`;
      const keys = Object.keys(step).filter((k) => (STEP_ACTIONS as readonly string[]).includes(k));
      if (keys.length !== 1) {
        issues.push({ path: p, message: keys.length === 0 ? 'expected one action (apply, wait, fault, …)' : `expected one action, got ${keys.join(' and ')}` });
        return;
      }
      const s = step as Record<string, unknown>;
      if (('catch' in s || 'finally' in s) && !('try' in s)) issues.push({ path: p, message: 'catch and finally go with try' });
      if ('with' in s && !('use' in s)) issues.push({ path: `${p}.with`, message: 'with goes with use' });
      if (step.name !== undefined) {
        if (stepNames.has(step.name) && !nested) issues.push({ path: `${p}.name`, message: `duplicate step name "${step.name}"` });
        stepNames.add(step.name);
      }
      if ('apply' in step) {
        const a = step.apply;
        if ([a.file, a.manifest, a.manifests].filter((x) => x !== undefined).length !== 1) issues.push({ path: `${p}.apply`, message: 'expected exactly one of file, manifest or manifests' });
        if (a.file !== undefined) file(a.file, `${p}.apply.file`);
      }
      if ('wait' in step) check(step.wait, `${p}.wait`);
      if ('expect' in step) check(step.expect, `${p}.expect`);
      if ('fault' in step) {
        const { name, for: _for, ...fault } = step.fault;
        // container-kill is a Kubernetes-level fault (the runtime kills a container); the rest are the world's.
        if (fault.kind === 'container-kill') {
          if (typeof fault['pod'] !== 'string' || fault['pod'] === '') issues.push({ path: `${p}.fault.pod`, message: 'required: the pod whose container is killed' });
          const extra = Object.keys(fault).filter((k) => !['kind', 'pod', 'container', 'namespace'].includes(k));
          for (const k of extra) issues.push({ path: `${p}.fault.${k}`, message: 'unknown field (expected one of kind, pod, container, namespace)' });
        } else issues.push(...checkFault(fault, `${p}.fault`, hosts));
        if (name !== undefined) faults.add(name);
      }
      if ('heal' in step && !faults.has(step.heal)) issues.push({ path: `${p}.heal`, message: `no fault named "${step.heal}" was injected before this step` });
      if ('try' in step) {
        walk(step.try, `${p}.try`, true);
        if (step.catch !== undefined) walk(step.catch, `${p}.catch`, true);
        if (step.finally !== undefined) walk(step.finally, `${p}.finally`, true);
      }
    });
  walk(spec.steps, 'spec.steps', false);
  (spec.manifests ?? []).forEach((m, i) => {
    if (typeof (m as { file?: unknown }).file === 'string') file((m as { file: string }).file, `spec.manifests[${i}].file`);
    else if (typeof (m as { kind?: unknown }).kind !== 'string' || typeof (m as { apiVersion?: unknown }).apiVersion !== 'string') issues.push({ path: `spec.manifests[${i}]`, message: 'expected an object with apiVersion and kind, or { file: path }' });
  });
  (spec.invariants ?? []).forEach((inv, i) => {
    check(inv, `spec.invariants[${i}]`);
    if (inv.expression === undefined && inv.match === undefined && inv.count === undefined) issues.push({ path: `spec.invariants[${i}]`, message: 'expected expression, match or count' });
    for (const end of ['from', 'to'] as const) {
      const n = inv.during?.[end];
      if (n !== undefined && !stepNames.has(n)) issues.push({ path: `spec.invariants[${i}].during.${end}`, message: `no step named "${n}"` });
    }
  });
  for (const k of placeholders({ ...spec, templates: undefined })) issues.push({ path: 'spec', message: `\${{ ${k} }} is neither a matrix key nor a template parameter` });
  return issues;
}

/** `use` steps that name no template or leave out its parameters (checked before templates are inlined). */
function useProblems(doc: ScenarioDocument): Issue[] {
  const issues: Issue[] = [];
  const templates = doc.spec?.templates ?? {};
  const walk = (steps: unknown, path: string): void => {
    if (!Array.isArray(steps)) return;
    steps.forEach((step: Record<string, unknown>, i) => {
      const p = `${path}[${i}]`;
      if (typeof step?.['use'] === 'string') {
        const t = templates[step['use']];
        if (t === undefined) issues.push({ path: `${p}.use`, message: `no template named "${step['use']}"${Object.keys(templates).length > 0 ? ` (templates: ${Object.keys(templates).join(', ')})` : ''}` });
        else {
          const missing = (t.params ?? []).filter((k) => !(k in ((step['with'] as object | undefined) ?? {})));
          if (missing.length > 0) issues.push({ path: `${p}.with`, message: `missing parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` });
        }
      }
      for (const k of ['try', 'catch', 'finally']) walk(step?.[k], `${p}.${k}`);
    });
  };
  walk(doc.spec?.steps, 'spec.steps');
  return issues;
}

/** "spec.images[…].memory: expected …" from the image validator → path and message. */
function split(line: string): Issue {
  const at = line.indexOf(': ');
  return at < 0 ? { path: '', message: line } : { path: line.slice(0, at), message: line.slice(at + 2) };
}

/**
 * Load every scenario in a YAML text (several documents allowed): parse,
 * check against the schema, then check what a schema cannot; expand each
 * matrix and inline templates. Throws a ScenarioLoadError listing every
 * problem with file, line and path; nothing runs when any is found.
 */
export function loadScenarios(text: string, file: string, readFile: ReadFile): LoadedScenario[] {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false });
  const problems: Problem[] = [];
  const out: LoadedScenario[] = [];
  const baseDir = dirname(resolve(file));
  const names = new Set<string>();
  for (const yamlDoc of Array.isArray(docs) ? docs : [docs]) {
    if (yamlDoc.errors.length > 0) {
      // The first error is the one to fix; the parser's later ones follow from it.
      for (const e of yamlDoc.errors.slice(0, 1)) {
        const pos = counter.linePos(e.pos[0]);
        problems.push({ file, line: pos.line, column: pos.col, path: '', message: `not valid YAML: ${e.message.split('\n')[0]}` });
      }
      continue;
    }
    const doc = yamlDoc.toJS() as ScenarioDocument | null;
    if (doc === null) continue;
    const at = (issue: Issue): Problem => ({ file, ...positionOf(yamlDoc, counter, issue.path), ...issue });
    if (names.has(String(doc.metadata?.name))) problems.push(at({ path: 'metadata.name', message: `another scenario in this file is named "${doc.metadata?.name}"` }));
    names.add(String(doc.metadata?.name));
    // Matrix values and template parameters are filled in first: what is checked is what will run.
    const seen = new Set<string>();
    const docProblems: Problem[] = [];
    const runs: LoadedScenario[] = [];
    const matrix = doc.spec?.matrix !== null && typeof doc.spec?.matrix === 'object' ? doc.spec.matrix : undefined;
    for (const params of combinations(matrix)) {
      const filled = substitute(doc, params);
      const issues = useProblems(filled);
      let expanded = filled;
      if (filled.spec !== null && typeof filled.spec === 'object') {
        const templates = filled.spec.templates !== null && typeof filled.spec.templates === 'object' ? filled.spec.templates : {};
        const blank = Object.fromEntries(Object.entries(templates).map(([k, t]) => [k, t !== null && typeof t === 'object' ? { ...t, steps: [] } : t]));
        const steps = issues.length === 0 && Array.isArray(filled.spec.steps) ? inlineTemplates(filled.spec.steps, templates) : filled.spec.steps;
        expanded = { ...filled, spec: { ...filled.spec, steps, ...(filled.spec.templates !== undefined && { templates: blank }) } };
      }
      const schema = schemaProblems(expanded);
      issues.push(...schema);
      if (schema.length === 0) issues.push(...semanticProblems(expanded, baseDir, readFile));
      for (const issue of issues) {
        const key = `${issue.path}\u0000${issue.message}`;
        if (!seen.has(key)) docProblems.push(at(issue));
        seen.add(key);
      }
      runs.push({ file, name: runName(doc.metadata.name, params), params, doc: expanded, baseDir });
    }
    if (docProblems.length > 0) problems.push(...docProblems);
    else out.push(...runs);
  }
  if (problems.length > 0) throw new ScenarioLoadError(problems);
  return out;
}
