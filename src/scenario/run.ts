import { resolve } from 'node:path';
import yaml from 'js-yaml';
import { parseGoDuration } from '../api/duration.js';
import { isStatusError } from '../api/errors/status.js';
import type { KubeObject } from '../api/registry/types.js';
import { Cluster } from '../cluster/cluster.js';
import { InvariantViolation } from '../cluster/wait.js';
import { simTarget } from './sim-target.js';
import type { ScenarioTarget } from './target.js';
import { describeFault, type FaultSpec } from '../faults/index.js';
import { describeCheck, describeTarget, evaluate } from './checks.js';
import type { LoadedScenario } from './load.js';
import type { InvariantResult, ScenarioResult, StepResult, View } from './result.js';
import { TimelineRecorder } from './timeline.js';
import type { Invariant, ObjectRef, Step } from './types.js';

export interface RunOptions {
  /** Reads manifest files named by the scenario (the CLI passes the file system). */
  readFile: (path: string) => string;
  /** Wall-clock milliseconds, to report how fast the run was (the CLI passes performance.now). */
  wallClock?: () => number;
  /** Overrides the scenario's seed. */
  seed?: string;
  /** Run against this instead of a fresh simulated cluster (a real cluster's backend). */
  target?: (scenario: LoadedScenario) => ScenarioTarget;
  /** How a failure is replayed (`npx crucible replay …`). */
  replay?: (scenario: LoadedScenario, seed: string) => string;
}

const ms = (d: string) => parseGoDuration(d) ?? 0;
const errorText = (e: unknown) => (isStatusError(e) ? `Error from server (${e.reason || e.code}): ${e.message}` : e instanceof Error ? e.message : String(e));

class StepFailed extends Error {}

/** Run one loaded scenario on a fresh simulated cluster; never throws for the scenario's own failures. */
export function runScenario(s: LoadedScenario, options: RunOptions): ScenarioResult {
  const wall = options.wallClock ?? (() => 0);
  const started = wall();
  const spec = s.doc.spec;
  const seed = options.seed ?? String(spec.seed ?? s.name);
  const meta = s.doc.metadata;
  const result: ScenarioResult = {
    name: s.name, file: s.file, area: meta.tags?.[0] ?? 'general', tags: meta.tags ?? [], ...(meta.description !== undefined && { description: meta.description }), ...(meta.conformance !== undefined && { conformance: meta.conformance }),
    params: s.params, backend: 'sim', seed, status: 'passed', traceHash: '', virtualMs: 0, wallMs: 0, steps: [], invariants: [], views: [], evidence: [],
    timeline: { t: [], series: [], faults: [], thresholds: [] },
    replay: options.replay?.(s, seed) ?? `npx crucible replay ${s.file} --scenario '${s.name}' --seed '${seed}'`,
  };
  let cluster: ScenarioTarget;
  try {
    cluster = options.target?.(s) ?? simTarget(Cluster.create({ ...(spec.cluster ?? {}), seed, ...(spec.images !== undefined && { images: spec.images }), ...(spec.permissiveImages !== undefined && { permissiveImages: spec.permissiveImages }) }));
  } catch (e) {
    return { ...result, status: 'error', reason: `the cluster could not be created: ${errorText(e)}`, wallMs: wall() - started };
  }
  result.backend = cluster.backend;
  const missing = missingCapabilities(s, cluster);
  if (missing.length > 0) {
    cluster.dispose?.();
    return { ...result, status: 'skipped', reason: `the ${cluster.backend} backend cannot ${missing.join(', ')}`, wallMs: wall() - started };
  }
  const timeline = new TimelineRecorder(cluster);
  const invariants = (spec.invariants ?? []).map((inv) => ({ inv, state: { name: inv.name, status: 'unchecked', checks: 0 } as InvariantResult, active: inv.during?.from === undefined }));
  let lastRevision = -1;
  cluster.monitor = () => {
    timeline.maybeSample();
    if (cluster.revision() === lastRevision) return undefined;
    lastRevision = cluster.revision();
    for (const i of invariants) {
      if (!i.active || i.state.status === 'violated') continue;
      // An invariant about one object applies while the object exists.
      if (i.inv.resource !== undefined && cluster.peek(i.inv.resource.kind, i.inv.resource.name, i.inv.resource.namespace) === undefined) continue;
      i.state.checks++;
      const why = evaluate(cluster, i.inv);
      if (i.state.status === 'unchecked') i.state.status = 'held';
      if (why !== undefined) {
        const message = `invariant "${i.inv.name}" violated at ${(cluster.now / 1000).toFixed(3)}s: ${describeCheck(i.inv)}: ${why}`;
        i.state.status = 'violated';
        i.state.violation = { atMs: cluster.now, message };
        return message;
      }
    }
    return undefined;
  };
  const faults = new Map<string, { handle: { heal(): void }; window: ScenarioResult['timeline']['faults'][number] }>();
  const views: View[] = [];
  const involved: ObjectRef[] = [];
  const apply = (manifests: string | KubeObject | KubeObject[], source: string) => cluster.apply(manifests, source);
  const readManifest = (file: string) => options.readFile(resolve(s.baseDir, file));

  const runStep = (step: Step, r: StepResult): void => {
    if ('apply' in step) {
      const a = step.apply;
      if (a.file !== undefined) apply(readManifest(a.file), a.file);
      else apply((a.manifest ?? a.manifests)!, r.name);
    } else if ('delete' in step) {
      involved.push(step.delete);
      cluster.delete(step.delete.kind, step.delete.name, step.delete.namespace, { ...(step.delete.gracePeriodSeconds !== undefined && { gracePeriodSeconds: step.delete.gracePeriodSeconds }), ...(step.delete.cascade !== undefined && { propagationPolicy: (step.delete.cascade[0]!.toUpperCase() + step.delete.cascade.slice(1)) as 'Foreground' }) });
    } else if ('patch' in step) cluster.patch(step.patch.kind, step.patch.name, step.patch.patch, { type: step.patch.type ?? 'strategic', ...(step.patch.namespace !== undefined && { namespace: step.patch.namespace }) });
    else if ('scale' in step) cluster.scale(step.scale.kind, step.scale.name, step.scale.replicas, step.scale.namespace);
    else if ('setImage' in step) cluster.setImage(step.setImage.kind, step.setImage.name, step.setImage.container, step.setImage.image, step.setImage.namespace);
    else if ('rolloutUndo' in step) cluster.rolloutUndo(step.rolloutUndo.name, { ...(step.rolloutUndo.toRevision !== undefined && { toRevision: step.rolloutUndo.toRevision }), ...(step.rolloutUndo.namespace !== undefined && { namespace: step.rolloutUndo.namespace }) });
    else if ('cordon' in step) cluster.cordon(step.cordon);
    else if ('uncordon' in step) cluster.uncordon(step.uncordon);
    else if ('drain' in step) {
      const d = step.drain;
      const out = cluster.drain(d.node, { ignoreDaemonSets: d.ignoreDaemonSets ?? false, deleteEmptyDirData: d.deleteEmptyDirData ?? false, force: d.force ?? false, ...(d.timeout !== undefined && { timeoutMs: ms(d.timeout) }) });
      if (out.error !== undefined) throw new Error(out.error);
    } else if ('wait' in step) {
      const { timeout, ...check } = step.wait;
      if (check.resource !== undefined) involved.push(check.resource);
      // The cluster's state only changes with the store's revision: evaluate again only then.
      let why: string | undefined;
      let seen = -1;
      const holds = () => {
        if (cluster.revision() === seen) return false;
        seen = cluster.revision();
        return (why = evaluate(cluster, check)) === undefined;
      };
      if (!cluster.run(holds, ms(timeout))) throw new Error(`timed out after ${timeout} waiting for ${describeCheck(check)}: ${why}`);
    } else if ('expect' in step) {
      if (step.expect.resource !== undefined) involved.push(step.expect.resource);
      const why = evaluate(cluster, step.expect);
      if (why !== undefined) throw new Error(`expected ${describeCheck(step.expect)}: ${why}`);
    } else if ('advance' in step) cluster.advance(ms(step.advance));
    else if ('fault' in step && step.fault.kind === 'container-kill') {
      const f = step.fault as unknown as { pod: string; container?: string; namespace?: string };
      involved.push({ kind: 'Pod', name: f.pod, ...(f.namespace !== undefined && { namespace: f.namespace }) });
      cluster.killContainer(f.pod, { ...(f.container !== undefined && { container: f.container }), ...(f.namespace !== undefined && { namespace: f.namespace }) });
      timeline.faults.push({ name: step.fault.name ?? `kill ${f.pod}`, description: `container-kill ${f.pod}${f.container !== undefined ? `/${f.container}` : ''}`, fromMs: cluster.now, toMs: cluster.now });
    } else if ('fault' in step) {
      const { name, for: forText, ...spec } = step.fault;
      const handle = cluster.fault(spec as unknown as FaultSpec);
      const window = { name: name ?? describeFault(spec as unknown as FaultSpec), description: describeFault(spec as unknown as FaultSpec), fromMs: cluster.now, toMs: handle.healed ? cluster.now : null };
      timeline.faults.push(window);
      faults.set(name ?? `fault-${faults.size}`, { handle, window });
      if (forText !== undefined) {
        cluster.after(ms(forText), () => {
          handle.heal();
          window.toMs = cluster.now;
        });
      }
    } else if ('heal' in step) {
      const f = faults.get(step.heal)!;
      f.handle.heal();
      f.window.toMs ??= cluster.now;
    } else if ('kubectl' in step) {
      const out = cluster.kubectl(step.kubectl);
      views.push({ step: r.name, command: `kubectl ${step.kubectl}`, output: out.output, atMs: cluster.now });
      if (out.exitCode !== 0) throw new Error(out.output.trim());
    }
  };

  const execute = (steps: Step[], into: StepResult[]): void => {
    for (const step of steps) {
      const action = Object.keys(step).find((k) => k !== 'name' && k !== 'catch' && k !== 'finally' && k !== 'with')!;
      const summary = summarize(step);
      const r: StepResult = { name: step.name ?? summary, action, summary, status: 'passed', startMs: cluster.now, endMs: cluster.now };
      into.push(r);
      for (const i of invariants) if (i.inv.during?.from === step.name && step.name !== undefined) i.active = true;
      try {
        if ('try' in step) runGroup(step, r);
        else runStep(step, r);
      } catch (e) {
        r.status = 'failed';
        r.error ??= e instanceof StepFailed ? 'a step inside failed' : errorText(e);
        r.endMs = cluster.now;
        throw e instanceof StepFailed ? e : new StepFailed(r.error);
      }
      r.endMs = cluster.now;
      for (const i of invariants) if (i.inv.during?.to === step.name && step.name !== undefined) i.active = false;
    }
  };
  const runGroup = (step: Extract<Step, { try: Step[] }>, r: StepResult): void => {
    r.children = [];
    try {
      execute(step.try, r.children);
    } catch (e) {
      if (step.catch === undefined || e instanceof InvariantViolation) throw e;
      execute(step.catch, r.children);
    } finally {
      if (step.finally !== undefined) execute(step.finally, r.children);
    }
  };

  try {
    for (const m of spec.manifests ?? []) {
      if (typeof (m as { file?: unknown }).file === 'string') apply(readManifest((m as { file: string }).file), (m as { file: string }).file);
      else apply(m as KubeObject, 'spec.manifests');
    }
    execute(spec.steps, result.steps);
  } catch (e) {
    result.status = 'failed';
    result.reason = e instanceof StepFailed ? firstError(result.steps) : errorText(e);
    result.evidence = collectEvidence(cluster, involved);
    for (const command of ['get pods -A -o wide', 'get events -A']) {
      try {
        views.push({ step: 'evidence', command: `kubectl ${command}`, output: cluster.kubectl(command).output, atMs: cluster.now });
      } catch {
        // Evidence is best effort; the failure itself is already recorded.
      }
    }
  }
  cluster.monitor = undefined;
  cluster.dispose?.();
  result.invariants = invariants.map((i) => i.state);
  result.views = views;
  result.timeline = timeline.finish();
  result.traceHash = cluster.traceHash;
  result.virtualMs = cluster.now;
  result.wallMs = wall() - started;
  return result;
}

function firstError(steps: StepResult[]): string | undefined {
  for (const s of steps) {
    if (s.status !== 'failed') continue;
    const inner = s.children === undefined ? undefined : firstError(s.children);
    return inner ?? `${s.name}: ${s.error}`;
  }
  return undefined;
}

/** A step in one line: `wait deployment/web: condition Available=True (2m)`. */
export function summarize(step: Step): string {
  if ('apply' in step) return `apply ${step.apply.file ?? (step.apply.manifest !== undefined ? `${String(step.apply.manifest.kind).toLowerCase()}/${String(step.apply.manifest.metadata?.name)}` : `${step.apply.manifests?.length} objects`)}`;
  if ('delete' in step) return `delete ${describeTarget({ resource: step.delete })}`;
  if ('patch' in step) return `patch ${describeTarget({ resource: step.patch })}`;
  if ('scale' in step) return `scale ${describeTarget({ resource: step.scale })} --replicas=${step.scale.replicas}`;
  if ('setImage' in step) return `set image ${describeTarget({ resource: step.setImage })} ${step.setImage.container}=${step.setImage.image}`;
  if ('rolloutUndo' in step) return `rollout undo deployment/${step.rolloutUndo.name}${step.rolloutUndo.toRevision ? ` --to-revision=${step.rolloutUndo.toRevision}` : ''}`;
  if ('cordon' in step) return `cordon ${step.cordon}`;
  if ('uncordon' in step) return `uncordon ${step.uncordon}`;
  if ('drain' in step) return `drain ${step.drain.node}`;
  if ('wait' in step) return `wait ${describeCheck(step.wait)} (${step.wait.timeout})`;
  if ('expect' in step) return `expect ${describeCheck(step.expect)}`;
  if ('advance' in step) return `advance ${step.advance}`;
  if ('fault' in step && step.fault.kind === 'container-kill') return `fault container-kill ${String(step.fault['pod'])}${step.fault['container'] !== undefined ? `/${String(step.fault['container'])}` : ''}`;
  if ('fault' in step) return `fault ${step.fault.name !== undefined ? `${step.fault.name}: ` : ''}${describeFault(step.fault as unknown as FaultSpec)}${step.fault.for !== undefined ? ` for ${step.fault.for}` : ''}`;
  if ('heal' in step) return `heal ${step.heal}`;
  if ('kubectl' in step) return `kubectl ${step.kubectl}`;
  if ('try' in step) return 'group';
  return 'use';
}

/** The objects a failure involved, their events and (for pods) their logs. */
function collectEvidence(cluster: ScenarioTarget, involved: ObjectRef[]): Array<{ title: string; text: string }> {
  const out: Array<{ title: string; text: string }> = [];
  const seen = new Set<string>();
  for (const ref of involved.slice(-3).reverse()) {
    const key = `${ref.kind}/${ref.namespace ?? 'default'}/${ref.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const o = cluster.peek(ref.kind, ref.name, ref.namespace);
    out.push({ title: `${ref.kind.toLowerCase()}/${ref.name}`, text: o === undefined ? '(not found)' : yaml.dump(o, { noRefs: true, lineWidth: 160 }) });
    try {
      const described = cluster.kubectl(`describe ${ref.kind.toLowerCase()} ${ref.name}${ref.namespace !== undefined ? ` -n ${ref.namespace}` : ''}`);
      if (described.exitCode === 0) out.push({ title: `kubectl describe ${ref.kind.toLowerCase()} ${ref.name}`, text: described.output });
    } catch {
      // describe is best effort
    }
    if (o !== undefined && cluster.resourceName(ref.kind) === 'pods') {
      for (const c of ((o['spec'] as { containers?: Array<{ name: string }> }).containers ?? [])) {
        try {
          out.push({ title: `logs ${ref.name} -c ${c.name}`, text: cluster.logs(ref.name, { container: c.name, tail: 50, ...(ref.namespace !== undefined && { namespace: ref.namespace }) }) });
        } catch (e) {
          out.push({ title: `logs ${ref.name} -c ${c.name}`, text: errorText(e) });
        }
      }
    }
  }
  return out;
}

/** What a scenario needs that the target cannot do (capabilities it lacks). */
function missingCapabilities(s: LoadedScenario, target: ScenarioTarget): string[] {
  const spec = s.doc.spec;
  const out: string[] = [];
  const steps: Step[] = [];
  const walk = (list: Step[]): void => {
    for (const x of list) {
      steps.push(x);
      if ('try' in x) {
        walk(x.try);
        walk(x.catch ?? []);
        walk(x.finally ?? []);
      }
    }
  };
  walk(spec.steps);
  const faults = [...new Set(steps.filter((x) => 'fault' in x).map((x) => (x as { fault: { kind: string } }).fault.kind))];
  if (!target.capabilities.faults && faults.length > 0) out.push(`inject faults (${faults.join(', ')})`);
  if (!target.capabilities.imageTables && (spec.images !== undefined || spec.permissiveImages === true)) out.push('run images from an image table');
  if (!target.capabilities.topology && spec.cluster !== undefined) out.push('build the topology the scenario declares');
  return out;
}
