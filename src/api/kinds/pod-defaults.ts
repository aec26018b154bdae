import type { Container, PodSpec, Probe } from 'kubernetes-types/core/v1.js';
import { QUANTITY_FORMAT_ERROR, tryParseQuantity } from '../quantity.js';
import { DecodeError } from './decode-error.js';

/** upstream pkg/apis/core/v1/defaults.go SetDefaults_Probe (and k8s-rules.md: probes). */
function defaultProbe(p: Probe | undefined): void {
  if (p === undefined) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet !== undefined) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
}

/** upstream SetDefaults_Container: pull policy from the tag, termination message, port protocols, probes. */
function defaultContainer(c: Container): void {
  if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
    // latest (or no tag, and no digest) → Always; anything else → IfNotPresent
    const ref = c.image;
    const lastSlash = ref.lastIndexOf('/');
    const tail = ref.slice(lastSlash + 1);
    const hasDigest = ref.includes('@');
    const tag = tail.includes(':') ? tail.slice(tail.indexOf(':') + 1) : '';
    c.imagePullPolicy = !hasDigest && (tag === '' || tag === 'latest') ? 'Always' : 'IfNotPresent';
  }
  // Container.Resources is a struct, not a pointer: the API always serves `resources: {}` at least.
  c.resources ??= {};
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  // Quantities must parse; a bad one is a decode error (400), not a validation error.
  for (const map of [c.resources?.limits, c.resources?.requests]) {
    for (const v of Object.values(map ?? {})) if (tryParseQuantity(v) === undefined) throw new DecodeError(QUANTITY_FORMAT_ERROR);
  }
  // upstream SetDefaults_Pod: "limits are the ceiling": a limit without a request sets the request.
  const limits = c.resources?.limits;
  if (limits !== undefined && Object.keys(limits).length > 0) {
    c.resources!.requests ??= {};
    for (const [name, value] of Object.entries(limits)) c.resources!.requests[name] ??= value;
  }
}

/** upstream SetDefaults_PodSpec and friends, for pods and pod templates alike. */
export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    if (v.secret !== undefined) v.secret.defaultMode ??= 0o644;
    if (v.configMap !== undefined) v.configMap.defaultMode ??= 0o644;
    if (v.downwardAPI !== undefined) v.downwardAPI.defaultMode ??= 0o644;
    if (v.projected !== undefined) v.projected.defaultMode ??= 0o644;
  }
}
