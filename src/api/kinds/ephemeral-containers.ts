import type { EphemeralContainer, Pod } from 'kubernetes-types/core/v1.js';
import { jsonEqual } from '../json-clone.js';
import type { KubeObject } from '../registry/types.js';
import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import { isDNS1123Label } from '../validation/names.js';

// validation.go allowedEphemeralContainerFields: everything else "cannot be set for an Ephemeral Container".
const FORBIDDEN = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** Go's reflect IsZero as validateFieldAllowList uses it: kubectl sends `resources: {}`, which is allowed. */
const isZero = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every(isZero));

/** upstream validateEphemeralContainers: names unique among all containers, no workload fields, a target that exists. */
export function validateEphemeralContainers(pod: Pod): FieldError[] {
  const spec = pod.spec;
  const errs: FieldError[] = [];
  const others = new Set([...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.name));
  const seen = new Set<string>();
  (spec?.ephemeralContainers ?? []).forEach((ec: EphemeralContainer, i) => {
    const at = `spec.ephemeralContainers[${i}]`;
    if (!ec.name) errs.push(fieldErrors.required(`${at}.name`));
    else {
      for (const m of isDNS1123Label(ec.name)) errs.push(fieldErrors.invalid(`${at}.name`, ec.name, m));
      if (others.has(ec.name) || seen.has(ec.name)) errs.push(fieldErrors.duplicate(`${at}.name`, ec.name));
      seen.add(ec.name);
    }
    if (!ec.image || ec.image.trim() === '') errs.push(fieldErrors.required(`${at}.image`));
    for (const f of FORBIDDEN) if (!isZero((ec as unknown as Record<string, unknown>)[f])) errs.push(fieldErrors.forbidden(`${at}.${f}`, 'cannot be set for an Ephemeral Container'));
    (ec.volumeMounts ?? []).forEach((vm, j) => {
      if (vm.subPath) errs.push(fieldErrors.forbidden(`${at}.volumeMounts[${j}].subPath`, 'cannot be set for an Ephemeral Container'));
    });
    if (ec.targetContainerName !== undefined && ec.targetContainerName !== '' && !others.has(ec.targetContainerName)) errs.push(fieldErrors.notFound(`${at}.targetContainerName`, ec.targetContainerName));
  });
  return errs;
}

/** upstream ValidatePodEphemeralContainersUpdate: containers may be added; existing ones are neither removed nor changed. */
export function validateEphemeralContainersUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validateEphemeralContainers(pod);
  const next = new Map((pod.spec?.ephemeralContainers ?? []).map((c) => [c.name, c]));
  for (const before of old.spec?.ephemeralContainers ?? []) {
    const now = next.get(before.name);
    if (now === undefined) errs.push(fieldErrors.forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(before.name)} may not be removed\n`));
    else if (!jsonEqual(now, before)) errs.push(fieldErrors.forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(before.name)} may not be changed\n`));
  }
  return errs;
}

/** PUT/PATCH pods/<name>/ephemeralcontainers: the stored pod with only spec.ephemeralContainers taken from the body. */
export function withEphemeralContainers(old: KubeObject, body: KubeObject): KubeObject {
  const containers = ((body['spec'] as { ephemeralContainers?: unknown } | undefined)?.ephemeralContainers ?? []) as EphemeralContainer[];
  // Defaults an ephemeral container gets, as a container does (SetDefaults_EphemeralContainer via the container defaults).
  const defaulted = containers.map((c) => ({ terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: c.image?.endsWith(':latest') || !c.image?.includes(':') ? 'Always' : 'IfNotPresent', ...c }));
  return { ...old, spec: { ...(old['spec'] as object), ephemeralContainers: defaulted } };
}
