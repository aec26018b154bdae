import type { Pod } from 'kubernetes-types/core/v1.js';
import { StatusError } from '../api/errors/status.js';
import type { KubeObject } from '../api/registry/types.js';
import type { ApiClient } from '../client/index.js';
import type { HostContext } from '../faults/index.js';

export interface DrainOptions {
  /** --ignore-daemonsets */
  ignoreDaemonSets?: boolean;
  /** --delete-emptydir-data */
  deleteEmptyDirData?: boolean;
  /** --force: delete pods that no controller manages */
  force?: boolean;
  /** --timeout in ms (0 or absent: wait forever) */
  timeoutMs?: number;
  /** --grace-period in seconds (absent: each pod's own) */
  gracePeriodSeconds?: number;
}

export interface DrainResult {
  ok: boolean;
  /** What kubectl prints, line by line. */
  output: string[];
  error?: string;
}

/** kubectl's wait between evictions refused by a disruption budget. */
const EVICTION_RETRY_MS = 5_000;
const POLL_MS = 1_000;

const nsName = (p: Pod) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;

/** Cordon a node (kubectl cordon): spec.unschedulable = true. */
export function cordon(client: ApiClient, node: string, unschedulable: boolean, done: (error: unknown, line: string) => void): void {
  client.request({ verb: 'get', group: '', version: 'v1', resource: 'nodes', name: node }, (error, body) => {
    if (error !== null) return done(error, '');
    const already = (body?.['spec'] as { unschedulable?: boolean } | undefined)?.unschedulable === true;
    if (already === unschedulable) return done(null, `node/${node} already ${unschedulable ? 'cordoned' : 'uncordoned'}`);
    client.request({ verb: 'patch', patchType: 'strategic', group: '', version: 'v1', resource: 'nodes', name: node, body: { spec: { unschedulable } } }, (e) => done(e, `node/${node} ${unschedulable ? 'cordoned' : 'uncordoned'}`));
  });
}

/**
 * `kubectl drain` as a library (upstream staging/src/k8s.io/kubectl/pkg/drain):
 * cordon; refuse DaemonSet pods (unless ignored), pods no controller owns
 * (unless forced) and pods with emptyDir data (unless allowed), with
 * kubectl's messages; evict the rest through the Eviction API, retrying
 * every 5 s while a PodDisruptionBudget refuses (429); wait until they
 * are gone, or the timeout.
 */
export function drain(host: HostContext, client: ApiClient, node: string, options: DrainOptions, done: (result: DrainResult) => void): void {
  const output: string[] = [];
  const startMs = host.clock.monotonic();
  const fail = (error: string) => done({ ok: false, output, error });
  cordon(client, node, true, (error, line) => {
    if (error !== null) return fail(String((error as Error).message));
    output.push(line);
    client.request({ verb: 'list', group: '', version: 'v1', resource: 'pods', query: { fieldSelector: `spec.nodeName=${node}` } }, (e, body) => {
      if (e !== null) return fail(e.message);
      const pods = ((body as { items?: Pod[] } | undefined)?.items ?? []).filter((p) => p.metadata?.annotations?.['kubernetes.io/config.mirror'] === undefined);
      const refusals = new Map<string, string[]>();
      const warnings = new Map<string, string[]>();
      const refuse = (m: Map<string, string[]>, why: string, p: Pod) => m.set(why, [...(m.get(why) ?? []), nsName(p)]);
      const toEvict: Pod[] = [];
      for (const p of pods) {
        const controller = p.metadata?.ownerReferences?.find((r) => r.controller === true);
        const finished = p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
        if (controller?.kind === 'DaemonSet') {
          if (options.ignoreDaemonSets === true) refuse(warnings, 'ignoring DaemonSet-managed Pods', p);
          else refuse(refusals, 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)', p);
          continue;
        }
        if (!finished && controller === undefined) {
          if (options.force === true) refuse(warnings, 'deleting Pods that declare no controller', p);
          else refuse(refusals, 'cannot delete Pods that declare no controller (use --force to override)', p);
        }
        if (!finished && (p.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined)) {
          if (options.deleteEmptyDirData === true) refuse(warnings, 'deleting Pods with local storage', p);
          else refuse(refusals, 'cannot delete Pods with local storage (use --delete-emptydir-data to override)', p);
        }
        toEvict.push(p);
      }
      if (refusals.size > 0) {
        const msg = [...refusals].map(([why, list]) => `${why}: ${list.join(', ')}`).join(', ');
        output.push(`error: unable to drain node "${node}" due to error: ${msg}, continuing command...`);
        return fail(msg);
      }
      if (warnings.size > 0) output.push(`Warning: ${[...warnings].map(([why, list]) => `${why}: ${list.join(', ')}`).join('; ')}`);
      let left = toEvict.length;
      if (left === 0) {
        output.push(`node/${node} drained`);
        return done({ ok: true, output });
      }
      let failed: string | undefined;
      const finishOne = (error?: string) => {
        if (error !== undefined && failed === undefined) failed = error;
        if (--left > 0) return;
        if (failed !== undefined) {
          output.push(`error: unable to drain node "${node}" due to error: ${failed}, continuing command...`);
          return fail(failed);
        }
        output.push(`node/${node} drained`);
        done({ ok: true, output });
      };
      const timedOut = () => options.timeoutMs !== undefined && options.timeoutMs > 0 && host.clock.monotonic() - startMs >= options.timeoutMs;
      for (const p of toEvict) {
        const name = p.metadata?.name ?? '';
        const ns = p.metadata?.namespace ?? '';
        const evict = (): void => {
          output.push(`evicting pod ${ns}/${name}`);
          const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns }, ...(options.gracePeriodSeconds !== undefined && { deleteOptions: { gracePeriodSeconds: options.gracePeriodSeconds } }) };
          client.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: ns, name, subresource: 'eviction', body: body as KubeObject }, (err) => {
            if (err === null || (err instanceof StatusError && err.code === 404)) return waitGone();
            if (err instanceof StatusError && err.code === 429) {
              if (timedOut()) return finishOne(`[error when evicting pods/"${name}" -n "${ns}": global timeout reached: ${Math.round((options.timeoutMs ?? 0) / 1000)}s]`);
              output.push(`error when evicting pods/"${name}" -n "${ns}" (will retry after 5s): ${err.message}`);
              host.after(EVICTION_RETRY_MS, evict);
              return;
            }
            finishOne(`error when evicting pods/"${name}" -n "${ns}": ${err.message}`);
          });
        };
        const waitGone = (): void => {
          client.request({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: ns, name }, (err, got) => {
            if ((err instanceof StatusError && err.code === 404) || (err === null && got?.metadata?.['uid'] !== p.metadata?.uid)) {
              output.push(`pod/${name} evicted`);
              return finishOne();
            }
            if (timedOut()) return finishOne(`[error when waiting for pod "${name}" in namespace "${ns}" to terminate: global timeout reached: ${Math.round((options.timeoutMs ?? 0) / 1000)}s]`);
            host.after(POLL_MS, waitGone);
          });
        };
        evict();
      }
    });
  });
}
