import { cloneJson } from '../json-clone.js';
import type { Container, PodSpec, Probe, Toleration } from 'kubernetes-types/core/v1.js';
import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import { validateLabels } from '../validation/labels.js';
import { isDNS1123Label, isValidPortName, isValidPortNum } from '../validation/names.js';
import { formatQuantity, tryParseQuantity } from '../quantity.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'configMap', 'secret', 'persistentVolumeClaim', 'downwardAPI', 'projected', 'nfs', 'csi', 'ephemeral', 'iscsi', 'image',
];

/** upstream pkg/apis/core/validation ValidatePodSpec (the rules the reference orchestrator relies on). */
export function validatePodSpec(spec: PodSpec | undefined, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  if (spec === undefined) return [fieldErrors.required(path)];
  const volumes = new Set<string>();
  (spec.volumes ?? []).forEach((v, i) => {
    const at = `${path}.volumes[${i}]`;
    if (!v.name) errs.push(fieldErrors.required(`${at}.name`));
    else {
      for (const m of isDNS1123Label(v.name)) errs.push(fieldErrors.invalid(`${at}.name`, v.name, m));
      if (volumes.has(v.name)) errs.push(fieldErrors.duplicate(`${at}.name`, v.name));
      volumes.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter((s) => (v as unknown as Record<string, unknown>)[s] !== undefined);
    if (sources.length === 0) errs.push(fieldErrors.required(at, 'must specify a volume type'));
    else if (sources.length > 1) errs.push(fieldErrors.forbidden(`${at}.${sources[1]}`, 'may not specify more than 1 volume type'));
  });
  const names = new Set<string>();
  (spec.initContainers ?? []).forEach((c, i) => errs.push(...validateContainer(c, `${path}.initContainers[${i}]`, names, volumes, true)));
  if (spec.containers == null || spec.containers.length === 0) errs.push(fieldErrors.required(`${path}.containers`));
  (spec.containers ?? []).forEach((c, i) => errs.push(...validateContainer(c, `${path}.containers[${i}]`, names, volumes, false)));
  if (spec.restartPolicy !== undefined && !RESTART_POLICIES.includes(spec.restartPolicy)) errs.push(fieldErrors.notSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  if (spec.dnsPolicy !== undefined && !DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(fieldErrors.notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  if (spec.activeDeadlineSeconds !== undefined && !(spec.activeDeadlineSeconds >= 1 && spec.activeDeadlineSeconds <= 2147483647)) {
    errs.push(fieldErrors.invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds < 0) {
    errs.push(fieldErrors.invalid(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  (spec.tolerations ?? []).forEach((t, i) => errs.push(...validateToleration(t, `${path}.tolerations[${i}]`)));
  return errs;
}

function validateContainer(c: Container, path: string, names: Set<string>, volumes: Set<string>, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(fieldErrors.required(`${path}.name`));
  else {
    for (const m of isDNS1123Label(c.name)) errs.push(fieldErrors.invalid(`${path}.name`, c.name, m));
    if (names.has(c.name)) errs.push(fieldErrors.duplicate(`${path}.name`, c.name));
    names.add(c.name);
  }
  if (!c.image || c.image.trim() === '') errs.push(fieldErrors.required(`${path}.image`));
  if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(fieldErrors.notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((p, i) => {
    const at = `${path}.ports[${i}]`;
    for (const m of isValidPortNum(p.containerPort)) errs.push(fieldErrors.invalid(`${at}.containerPort`, p.containerPort, m));
    if (p.name !== undefined) {
      for (const m of isValidPortName(p.name)) errs.push(fieldErrors.invalid(`${at}.name`, p.name, m));
      if (portNames.has(p.name)) errs.push(fieldErrors.duplicate(`${at}.name`, p.name));
      portNames.add(p.name);
    }
    if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) errs.push(fieldErrors.notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
  });
  (c.env ?? []).forEach((e, i) => {
    if (!e.name) errs.push(fieldErrors.required(`${path}.env[${i}].name`));
    else if (!ENV_NAME.test(e.name)) {
      errs.push(
        fieldErrors.invalid(
          `${path}.env[${i}].name`,
          e.name,
          "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
        ),
      );
    }
  });
  (c.volumeMounts ?? []).forEach((m, i) => {
    const at = `${path}.volumeMounts[${i}]`;
    if (!m.name) errs.push(fieldErrors.required(`${at}.name`));
    else if (!volumes.has(m.name)) errs.push(fieldErrors.notFound(`${at}.name`, m.name));
    if (!m.mountPath) errs.push(fieldErrors.required(`${at}.mountPath`));
  });
  errs.push(...validateResources(c, `${path}.resources`));
  const sidecar = init && c.restartPolicy === 'Always';
  if (!init || sidecar) {
    errs.push(...validateProbe(c.livenessProbe, `${path}.livenessProbe`, true));
    errs.push(...validateProbe(c.startupProbe, `${path}.startupProbe`, true));
    errs.push(...validateProbe(c.readinessProbe, `${path}.readinessProbe`, false));
  } else {
    for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[p] !== undefined) errs.push(fieldErrors.forbidden(`${path}.${p}`, 'may not be set for init containers without restartPolicy=Always'));
    }
  }
  return errs;
}

/** Requests may not exceed limits (upstream ValidateResourceRequirements). */
function validateResources(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  for (const [name, raw] of Object.entries(requests)) {
    const req = tryParseQuantity(raw);
    const lim = tryParseQuantity(limits[name]);
    if (req !== undefined && req.value < 0) errs.push(fieldErrors.invalid(`${path}.requests[${name}]`, formatQuantity(req), 'must be greater than or equal to 0'));
    if (req !== undefined && lim !== undefined && req.value > lim.value) {
      errs.push(fieldErrors.invalid(`${path}.requests`, formatQuantity(req), `must be less than or equal to ${name} limit of ${formatQuantity(lim)}`));
    }
  }
  for (const [name, raw] of Object.entries(limits)) {
    const lim = tryParseQuantity(raw);
    if (lim !== undefined && lim.value < 0) errs.push(fieldErrors.invalid(`${path}.limits[${name}]`, formatQuantity(lim), 'must be greater than or equal to 0'));
  }
  return errs;
}

/** upstream validateProbe: one handler, positive periods, successThreshold 1 for liveness and startup. */
function validateProbe(p: Probe | undefined, path: string, mustSucceedOnce: boolean): FieldError[] {
  if (p === undefined) return [];
  const errs: FieldError[] = [];
  const handlers = (['exec', 'httpGet', 'tcpSocket', 'grpc'] as const).filter((h) => p[h] !== undefined);
  if (handlers.length === 0) errs.push(fieldErrors.required(path, 'must specify a handler type'));
  else if (handlers.length > 1) errs.push(fieldErrors.forbidden(`${path}.${handlers[1]}`, 'may not specify more than 1 handler type'));
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = p[field];
    if (v !== undefined && v < 0) errs.push(fieldErrors.invalid(`${path}.${field}`, v, 'must be greater than or equal to 0'));
  }
  if (mustSucceedOnce && p.successThreshold !== undefined && p.successThreshold !== 1) errs.push(fieldErrors.invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  if (p.terminationGracePeriodSeconds !== undefined && !mustSucceedOnce) {
    errs.push(fieldErrors.invalid(`${path}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errs;
}

/** upstream ValidateTolerations. */
function validateToleration(t: Toleration, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const operator = t.operator ?? 'Equal';
  if (!TOLERATION_OPERATORS.includes(operator)) errs.push(fieldErrors.notSupported(`${path}.operator`, operator, TOLERATION_OPERATORS));
  if (operator === 'Exists' && t.value) errs.push(fieldErrors.invalid(`${path}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
  if (!t.key && operator !== 'Exists') errs.push(fieldErrors.invalid(`${path}.operator`, operator, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
  if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(fieldErrors.notSupported(`${path}.effect`, t.effect, TAINT_EFFECTS));
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
    errs.push(fieldErrors.invalid(`${path}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  }
  return errs;
}

/**
 * upstream ValidatePodUpdate: a pod's spec is immutable except container
 * images, activeDeadlineSeconds, added tolerations and
 * terminationGracePeriodSeconds. (Upstream appends a Go diff of the spec to
 * the message; this model stops at the sentence.)
 */
export function validatePodSpecUpdate(spec: PodSpec, old: PodSpec): FieldError[] {
  const mask = (s: PodSpec): PodSpec => {
    const copy = cloneJson(s);
    copy.containers = (copy.containers ?? []).map((c) => ({ ...c, image: '' }));
    if (copy.initContainers !== undefined) copy.initContainers = copy.initContainers.map((c) => ({ ...c, image: '' }));
    delete copy.activeDeadlineSeconds;
    delete copy.terminationGracePeriodSeconds;
    delete copy.tolerations;
    return copy;
  };
  const errs: FieldError[] = [];
  const oldTolerations = JSON.stringify(old.tolerations ?? []);
  const kept = (spec.tolerations ?? []).slice(0, (old.tolerations ?? []).length);
  if (JSON.stringify(mask(spec)) !== JSON.stringify(mask(old)) || JSON.stringify(kept) !== oldTolerations) {
    errs.push(
      fieldErrors.forbidden(
        'spec',
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      ),
    );
  }
  return errs;
}
