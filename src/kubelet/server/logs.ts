import { rfc3339Nano } from '../../api/server/time.js';
import type { KubeletLogRequest, KubeletLogResponse } from '../../api/server/index.js';
import type { PodWorker } from '../pod-worker.js';
import type { LogLine, RuntimeContainer } from '../runtime/container.js';
import { containerStatus } from '../status/pod-status.js';

const badRequest = (message: string): KubeletLogResponse => ({ code: 400, status: { apiVersion: 'v1', kind: 'Status', status: 'Failure', message, reason: 'BadRequest', code: 400 } });

/**
 * The kubelet's /containerLogs (upstream pkg/kubelet/kubelet_pods.go
 * validateContainerLogStatus and the CRI log reader): which instance to read
 * (current, or --previous), the errors for a container with no log yet,
 * then tailLines, sinceSeconds, timestamps and limitBytes.
 */
export function containerLogs(worker: PodWorker, podName: string, request: KubeletLogRequest, nowMs: number): KubeletLogResponse {
  const slot = worker.slots.find((s) => s.spec.name === request.container);
  if (slot === undefined) return badRequest(`container ${request.container} is not valid for pod ${podName}`);
  const status = containerStatus(slot, 'ContainerCreating');
  const instances = [slot.current, slot.previousInstance].filter((c): c is RuntimeContainer => c !== undefined);
  const byId = (id: string | undefined) => instances.find((c) => c.containerID === id);
  const name = JSON.stringify(request.container);
  const pod = JSON.stringify(podName);
  let instance: RuntimeContainer | undefined;
  const last = status.lastState?.terminated;
  if (request.previous === true) {
    instance = byId(last?.containerID);
    if (instance === undefined) return badRequest(`previous terminated container ${name} in pod ${pod} not found`);
  } else if (status.state?.running !== undefined || status.state?.terminated !== undefined) instance = byId(status.containerID);
  else if (last !== undefined) instance = byId(last.containerID);
  else {
    const reason = status.state?.waiting?.reason ?? 'ContainerCreating';
    const why = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
    return badRequest(`container ${name} in pod ${pod} is waiting to start: ${why}`);
  }
  if (instance === undefined) return badRequest(`container ${name} in pod ${pod} is terminated`);
  let lines: LogLine[] = instance.logs;
  if (request.sinceSeconds !== undefined) lines = lines.filter((l) => l.timeMs >= nowMs - request.sinceSeconds! * 1000);
  if (request.tailLines !== undefined) lines = request.tailLines <= 0 ? [] : lines.slice(-request.tailLines);
  let text = lines.map((l) => `${request.timestamps === true ? `${rfc3339Nano(l.timeMs)} ` : ''}${l.text}\n`).join('');
  if (request.limitBytes !== undefined && Buffer.byteLength(text) > request.limitBytes) text = Buffer.from(text).subarray(0, request.limitBytes).toString();
  return { code: 200, text };
}
