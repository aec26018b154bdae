import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ApiClient } from '../client/index.js';
import { equalIgnoreHash, POD_TEMPLATE_HASH, REVISION, revisionOf } from '../control/deployment/util.js';

/** Annotations that belong to the Deployment, not to a revision (kubectl rollback.go annotationsToSkip). */
const SKIP = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to']);

/**
 * `kubectl rollout undo deployment/NAME [--to-revision=N]` (upstream
 * kubectl polymorphichelpers/rollback.go): find the ReplicaSet of that
 * revision (0: the one before the current), copy its template (without
 * pod-template-hash) and annotations back into the Deployment with a JSON
 * patch; the controller then reuses that ReplicaSet under a new revision.
 * The callback gets kubectl's message or its error text.
 */
export function rolloutUndo(client: ApiClient, namespace: string, name: string, toRevision: number, done: (error: string | null, message?: string) => void): void {
  client.request({ verb: 'get', group: 'apps', version: 'v1', resource: 'deployments', namespace, name }, (error, body) => {
    if (error !== null) return done(error.message);
    const d = body as Deployment;
    if (d.spec?.paused === true) return done("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
    client.request({ verb: 'list', group: 'apps', version: 'v1', resource: 'replicasets', namespace }, (e, list) => {
      if (e !== null) return done(e.message);
      const owned = ((list as { items?: ReplicaSet[] } | undefined)?.items ?? []).filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller === true && r.uid === d.metadata?.uid));
      if (owned.length === 0) return done(`no rollout history found for deployment "${name}"`);
      const byRevision = [...owned].sort((a, b) => revisionOf(b) - revisionOf(a));
      const target = toRevision === 0 ? byRevision[1] : owned.find((rs) => revisionOf(rs) === toRevision);
      if (target === undefined) return done(toRevision === 0 ? `no rollout history found for deployment "${name}"` : `unable to find specified revision ${toRevision} in history`);
      const shown = toRevision === 0 ? revisionOf(target) : toRevision;
      if (equalIgnoreHash(target.spec?.template, d.spec?.template)) return done(null, `deployment.apps/${name} skipped rollback (current template already matches revision ${shown})`);
      const template = JSON.parse(JSON.stringify(target.spec?.template ?? {}));
      if (template.metadata?.labels !== undefined) delete template.metadata.labels[POD_TEMPLATE_HASH];
      const annotations: Record<string, string> = {};
      for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (SKIP.has(k)) annotations[k] = v;
      for (const [k, v] of Object.entries(target.metadata?.annotations ?? {})) if (!SKIP.has(k)) annotations[k] = v;
      const patch = [
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ];
      client.request({ verb: 'patch', patchType: 'json', group: 'apps', version: 'v1', resource: 'deployments', namespace, name, body: patch }, (pe) => {
        if (pe !== null) return done(`failed restoring revision ${shown}: ${pe.message}`);
        done(null, `deployment.apps/${name} rolled back`);
      });
    });
  });
}
