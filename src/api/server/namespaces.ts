import { apiErrors } from '../errors/status.js';
import type { KubeObject } from '../registry/types.js';
import type { ServerContext } from './context.js';

/**
 * NamespaceLifecycle admission (upstream plugin/pkg/admission/namespace/lifecycle):
 * new objects need an existing namespace that is not being deleted.
 */
export function checkNamespaceForCreate(ctx: ServerContext, namespace: string, gr: { group: string; resource: string }, name: string): void {
  const ns = ctx.store.get('namespaces', namespace) as KubeObject | undefined;
  if (ns === undefined) throw apiErrors.namespaceNotFound(namespace);
  const phase = (ns['status'] as { phase?: string } | undefined)?.phase;
  if (phase === 'Terminating' || ns.metadata?.['deletionTimestamp'] !== undefined) {
    throw apiErrors.forbidden(gr, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}

/** The namespaces every cluster starts with. */
export const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
