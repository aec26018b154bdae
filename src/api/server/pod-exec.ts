import { apiErrors } from '../errors/status.js';
import type { KubeObject } from '../registry/types.js';
import type { KubeletDialer } from './kubelet-proxy.js';

/** What a command run in a container gave: its output and exit code. */
export interface ExecResult {
  output: string;
  exitCode: number;
  stderr?: string;
  /** `latin1`: output is bytes, one char each. */
  encoding?: 'latin1';
}

/**
 * Run a command in a pod's container through its node's kubelet (upstream
 * pod strategy ExecLocation, then the kubelet's /exec): the pod must be on a
 * node; the kubelet's refusal (no such running container) comes back as a
 * Status error, a network failure as InternalError with the dial's text.
 */
export function execInPod(pod: KubeObject, container: string, command: string[], dial: KubeletDialer | undefined, done: (error: unknown, result?: ExecResult) => void, stdin?: string): void {
  const name = String(pod.metadata?.['name'] ?? '');
  const nodeName = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) return done(apiErrors.badRequest(`pod ${name} does not have a host assigned`));
  if (dial === undefined) return done(apiErrors.internal('no route to kubelets from this API server'));
  const request = { kind: 'exec' as const, namespace: String(pod.metadata?.['namespace'] ?? ''), pod: name, uid: String(pod.metadata?.['uid'] ?? ''), container, command, ...(stdin !== undefined && { stdin }) };
  dial(nodeName, request, (error, response) => {
    if (error) return done(apiErrors.internal(error.message));
    if (response!.code >= 400) {
      const message = String((response!.status as { message?: string } | undefined)?.message ?? 'kubelet error');
      return done(apiErrors.unknown(message, response!.code));
    }
    done(null, { output: response!.text ?? '', exitCode: response!.exitCode ?? 0, ...(response!.stderr !== undefined && { stderr: response!.stderr }), ...(response!.encoding !== undefined && { encoding: response!.encoding }) });
  });
}

/** End the attached session of a container's interactive shell (`exit N` in `kubectl attach -it` / `run -it` / `debug -it`): the container exits with that code. */
export function endSessionInPod(pod: KubeObject, container: string, exitCode: number, dial: KubeletDialer | undefined, done: (error: unknown) => void): void {
  const nodeName = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName || dial === undefined) return done(null);
  const request = { kind: 'exec' as const, namespace: String(pod.metadata?.['namespace'] ?? ''), pod: String(pod.metadata?.['name'] ?? ''), uid: String(pod.metadata?.['uid'] ?? ''), container, command: [], endSession: exitCode };
  dial(nodeName, request, (error) => done(error ?? null));
}
