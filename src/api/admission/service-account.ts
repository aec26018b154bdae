import type { Container, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { apiErrors } from '../errors/status.js';
import { nameSuffix } from '../server/keys.js';
import type { AdmissionContext } from './types.js';

const TOKEN_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * ServiceAccount admission (upstream plugin/pkg/admission/serviceaccount):
 * a pod runs as `default` unless it names an account; the account must
 * exist; and unless automountServiceAccountToken is false, the pod gets the
 * `kube-api-access-<suffix>` projected volume (token, kube-root-ca.crt,
 * namespace) mounted read-only in every container.
 */
export function admitServiceAccount(ctx: AdmissionContext): void {
  const pod = ctx.object as Pod;
  const spec = pod.spec;
  if (spec === undefined || ctx.namespace === undefined) return;
  spec.serviceAccountName ||= 'default';
  spec.serviceAccount = spec.serviceAccountName;
  const account = ctx.store.get('serviceaccounts', `${ctx.namespace}/${spec.serviceAccountName}`);
  if (account === undefined) {
    throw apiErrors.forbidden({ group: '', resource: 'pods' }, String(pod.metadata?.name ?? ''), `error looking up service account ${ctx.namespace}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`);
  }
  const automount = spec.automountServiceAccountToken ?? (account['automountServiceAccountToken'] as boolean | undefined) ?? true;
  if (!automount) return;
  const containers: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  if (containers.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT))) return;
  const name = `kube-api-access-${nameSuffix(ctx.random)}`;
  const volume: Volume = {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
  spec.volumes = [...(spec.volumes ?? []), volume];
  for (const c of containers) c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: TOKEN_MOUNT }];
}
