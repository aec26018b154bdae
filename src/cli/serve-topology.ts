import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import yaml from 'js-yaml';
import type { KubeObject } from '../api/registry/types.js';
import { validateTopology, type Topology } from '../cluster/topology.js';
import { loadScenarioFiles } from './scenario-files.js';
import { UserInputError } from './plan-file.js';

/** What `crucible serve` builds: a topology, and objects to create once it is up. */
export interface ServedSetup {
  topology: Omit<Topology, 'seed'> & { seed?: string | number };
  manifests: KubeObject[];
  /** Where it came from, for the banner. */
  from?: string;
}

/**
 * The cluster `--topology FILE` describes (a topology in YAML: nodes,
 * controlPlane, images, eviction, …), or the one a scenario declares
 * (`--scenario FILE`: its cluster, images, seed and spec.manifests; its
 * steps are left for the user to play with kubectl).
 */
export function servedSetup(o: { topology?: string; scenario?: string; nodes?: number }): ServedSetup {
  if ((o.topology !== undefined ? 1 : 0) + (o.scenario !== undefined ? 1 : 0) + (o.nodes !== undefined ? 1 : 0) > 1) throw new UserInputError('crucible serve: give one of --nodes, --topology or --scenario');
  if (o.topology !== undefined) {
    let doc: unknown;
    try {
      doc = yaml.load(readFileSync(o.topology, 'utf8'));
    } catch (e) {
      throw new UserInputError(`${o.topology}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not YAML: ${(e as Error).message.split('\n')[0]}`}`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UserInputError(`${o.topology}: expected a topology (nodes, controlPlane, images, …), got ${Array.isArray(doc) ? 'a list' : typeof doc}`);
    const problems = validateTopology(doc as Topology, 'topology');
    if (problems.length > 0) throw new UserInputError(problems.map((p) => `${o.topology}: ${p}`).join('\n'));
    return { topology: doc as Topology, manifests: [], from: o.topology };
  }
  if (o.scenario !== undefined) {
    const [first] = loadScenarioFiles([o.scenario]);
    if (first === undefined) throw new UserInputError(`${o.scenario}: no scenario in this file`);
    const spec = first.doc.spec;
    const manifests: KubeObject[] = [];
    for (const m of spec.manifests ?? []) {
      if (typeof (m as { file?: unknown }).file !== 'string') manifests.push(m as KubeObject);
      else for (const d of yaml.loadAll(readFileSync(resolve(first.baseDir ?? dirname(o.scenario), (m as { file: string }).file), 'utf8'))) if (d) manifests.push(d as KubeObject);
    }
    const topology = { ...(spec.cluster ?? {}), ...(spec.seed !== undefined && { seed: spec.seed }), ...(spec.images !== undefined && { images: spec.images }), ...(spec.permissiveImages !== undefined && { permissiveImages: spec.permissiveImages }) };
    return { topology, manifests, from: `scenario ${first.name}` };
  }
  return { topology: o.nodes !== undefined ? { nodes: o.nodes } : {}, manifests: [] };
}
