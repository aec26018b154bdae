import yaml from 'js-yaml';
import { isStatusError } from '../api/errors/status.js';
import type { KubeObject, ResourceType } from '../api/registry/index.js';
import { CLIENT_HOST } from '../cluster/assemble.js';
import type { Cluster } from '../cluster/cluster.js';
import { parseArgs, UsageError, type KubectlArgs } from './args.js';
import { describeObject } from './describe/index.js';
import { evalPath, JsonPathError, renderJsonPath } from './jsonpath.js';
import { columnsFor } from './printers/crd-columns.js';
import { rolloutHistory, rolloutStatus } from './rollout.js';
import { renderTable } from './table.js';

export interface KubectlResult {
  /** stdout then stderr, as a terminal shows them. */
  output: string;
  exitCode: number;
}

/** The `kubectl` client's wall-clock time: the client host's clock. */
const clientNow = (cluster: Cluster) => cluster.epochMs + cluster.world.host(CLIENT_HOST).clock.now();

function serverError(e: unknown): string {
  if (isStatusError(e)) return `Error from server (${e.reason || 'InternalError'}): ${e.message}\n`;
  if (e instanceof UsageError || e instanceof JsonPathError) return `error: ${e.message}\n`;
  return `error: ${e instanceof Error ? e.message : String(e)}\n`;
}

/** kubectl -o yaml: keys sorted, lists not indented under their key (sigs.k8s.io/yaml). */
export const toYaml = (o: unknown) => yaml.dump(o, { sortKeys: true, noArrayIndent: true, lineWidth: -1, quotingType: '"', noRefs: true });

/**
 * Run a kubectl command line against a Crucible cluster (no `kubectl`
 * binary: the views are rendered as kubectl 1.32 renders them). Supports
 * get (tables, wide, -A, -l, --field-selector, --show-labels, -o
 * yaml|json|name|jsonpath|custom-columns), describe, logs and events.
 */
export function kubectl(cluster: Cluster, line: string): KubectlResult {
  let args: KubectlArgs;
  try {
    args = parseArgs(line);
    switch (args.verb) {
      case 'get':
        return get(cluster, args);
      case 'describe':
        return describe(cluster, args);
      case 'logs':
        return logs(cluster, args);
      case 'events':
        return get(cluster, { ...args, verb: 'get', args: ['events'] });
      case 'rollout':
        if (args.args[0] === 'status') return rolloutStatus(cluster, args);
        if (args.args[0] === 'history') return rolloutHistory(cluster, args);
        return { output: `error: unknown command "${args.args[0] ?? ''}" for "kubectl rollout"\n`, exitCode: 1 };
      default:
        return { output: `error: unknown command "${args.verb}" for "kubectl"\n`, exitCode: 1 };
    }
  } catch (e) {
    return { output: serverError(e), exitCode: 1 };
  }
}

function resourceArg(cluster: Cluster, args: KubectlArgs): { type: ResourceType; name?: string } {
  const first = args.args[0];
  if (first === undefined) throw new UsageError('You must specify the type of resource to get.');
  const [kind, slashName] = first.includes('/') ? first.split('/', 2) : [first, undefined];
  const type = cluster.registry.resolve(kind!);
  if (type === undefined) throw new UsageError(`the server doesn't have a resource type "${kind}"`);
  const name = slashName ?? args.args[1];
  return { type, ...(name !== undefined && { name }) };
}

function get(cluster: Cluster, args: KubectlArgs): KubectlResult {
  const first = args.args[0] ?? '';
  if (first.includes(',') && !first.includes('/')) {
    // Several kinds: one table each, names prefixed with the kind (`deployment.apps/web`), blank lines between.
    const parts = first.split(',').filter((k) => k !== '').map((k) => get(cluster, { ...args, args: [k, ...args.args.slice(1)], prefixNames: true } as KubectlArgs));
    const found = parts.filter((p) => !p.output.startsWith('No resources found'));
    if (found.length === 0) return parts[0] ?? { output: '', exitCode: 0 };
    return { output: found.map((p) => p.output).join('\n'), exitCode: Math.max(...parts.map((p) => p.exitCode)) };
  }
  const { type, name } = resourceArg(cluster, args);
  const namespace = args.namespace ?? 'default';
  const target = { group: type.group, version: type.version, resource: type.resource };
  let items: KubeObject[];
  let single: KubeObject | undefined;
  if (name !== undefined) {
    single = cluster.request({ verb: 'get', ...target, ...(type.namespaced && { namespace }), name });
    items = [single];
  } else {
    const query = { ...(args.selector !== undefined && { labelSelector: args.selector }), ...(args.fieldSelector !== undefined && { fieldSelector: args.fieldSelector }) };
    const list = cluster.request({ verb: 'list', ...target, ...(type.namespaced && !args.allNamespaces && { namespace }), query });
    items = ((list['items'] as KubeObject[] | undefined) ?? []).map((o) => ({ apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`, kind: type.kind, ...o }));
  }
  const output = args.output ?? '';
  if (output === 'yaml' || output === 'json') {
    const doc = single ?? { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
    return { output: output === 'yaml' ? toYaml(doc) : `${JSON.stringify(doc, null, 4)}\n`, exitCode: 0 };
  }
  if (output === 'name') return { output: items.map((o) => `${type.singular || type.kind.toLowerCase()}${type.group === '' ? '' : `.${type.group}`}/${o.metadata?.name}\n`).join(''), exitCode: 0 };
  if (output.startsWith('jsonpath=') || output.startsWith('jsonpath-as-json=')) {
    const template = output.slice(output.indexOf('=') + 1);
    const doc = single ?? { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
    return { output: renderJsonPath(template, doc), exitCode: 0 };
  }
  if (items.length === 0) {
    const where = type.namespaced && !args.allNamespaces ? ` in ${namespace} namespace` : '';
    return { output: `No resources found${where}.\n`, exitCode: 0 };
  }
  const ctx = { nowMs: clientNow(cluster) };
  if (output.startsWith('custom-columns=')) {
    const specs = output.slice('custom-columns='.length).split(',').map((c) => {
      const at = c.indexOf(':');
      if (at < 0) throw new UsageError(`unexpected custom-columns spec: ${c}, expected <header>:<json-path-expr>`);
      return { header: c.slice(0, at), path: c.slice(at + 1).replace(/^\{(.*)\}$/, '$1') };
    });
    const rows = items.map((o) => specs.map((s) => {
      const found = evalPath(s.path.startsWith('.') ? s.path : `.${s.path}`, o);
      return found.length === 0 ? '<none>' : found.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
    }));
    return { output: renderTable(specs.map((s) => s.header), rows), exitCode: 0 };
  }
  if (output !== '' && output !== 'wide') throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`);
  const wide = output === 'wide';
  const cols = columnsFor(type);
  const headers = [...(args.allNamespaces && type.namespaced ? ['NAMESPACE'] : []), ...cols.headers, ...(wide ? (cols.wide ?? []) : []), ...(args.showLabels ? ['LABELS'] : [])];
  const rows = items.map((o) => {
    const labels = (o.metadata?.['labels'] as Record<string, string> | undefined) ?? {};
    const labelText = Object.keys(labels).length === 0 ? '<none>' : Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
    const cells = cols.row(o, ctx, wide);
    if ((args as { prefixNames?: boolean }).prefixNames === true && cols.headers[0] === 'NAME') cells[0] = `${type.singular || type.kind.toLowerCase()}${type.group === '' ? '' : `.${type.group}`}/${cells[0]}`;
    return [...(args.allNamespaces && type.namespaced ? [String(o.metadata?.namespace ?? '')] : []), ...cells, ...(args.showLabels ? [labelText] : [])];
  });
  return { output: renderTable(headers, rows), exitCode: 0 };
}

function describe(cluster: Cluster, args: KubectlArgs): KubectlResult {
  const { type, name } = resourceArg(cluster, args);
  const namespace = args.namespace ?? 'default';
  const target = { group: type.group, version: type.version, resource: type.resource, ...(type.namespaced && { namespace }) };
  const objects = name !== undefined ? [cluster.request({ verb: 'get', ...target, name })] : ((cluster.request({ verb: 'list', ...target, query: args.selector !== undefined ? { labelSelector: args.selector } : {} })['items'] as KubeObject[]) ?? []);
  if (objects.length === 0) return { output: `No resources found in ${namespace} namespace.\n`, exitCode: 0 };
  const nowMs = clientNow(cluster);
  const text = objects.map((o) => {
    // Cluster-scoped objects (nodes) have their events wherever their reporters put them: search every namespace.
    const events = ((cluster.request({ verb: 'list', group: '', version: 'v1', resource: 'events', ...(type.namespaced && { namespace }), query: { fieldSelector: `involvedObject.name=${o.metadata?.name}` } })['items'] as KubeObject[]) ?? []).filter(
      (e) => (e['involvedObject'] as { uid?: string; kind?: string }).kind === type.kind,
    );
    return describeObject(cluster, type, o, events, nowMs);
  });
  return { output: text.join('\n\n'), exitCode: 0 };
}

function logs(cluster: Cluster, args: KubectlArgs): KubectlResult {
  const target = args.args[0];
  if (target === undefined) throw new UsageError('expected POD or TYPE/NAME is a required argument for the logs command');
  const pod = target.startsWith('pod/') ? target.slice(4) : target;
  const text = cluster.logs(pod, {
    ...(args.namespace !== undefined && { namespace: args.namespace }),
    ...(args.container !== undefined && { container: args.container }),
    ...(args.previous && { previous: true }),
    ...(args.tail !== undefined && args.tail >= 0 && { tail: args.tail }),
    ...(args.timestamps && { timestamps: true }),
  });
  return { output: text, exitCode: 0 };
}
