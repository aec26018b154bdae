import { readFileSync } from 'node:fs';
import type { ApplyResult } from '../cluster/apply.js';
import type { Cluster } from '../cluster/cluster.js';

/** `kubectl apply -f FILE`: the manifests in a YAML or JSON file (several documents allowed), with the file named in errors. */
export function applyFile(cluster: Cluster, path: string): ApplyResult[] {
  return cluster.apply(readFileSync(path, 'utf8'), path);
}
