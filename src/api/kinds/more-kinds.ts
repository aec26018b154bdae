import ipaddr from 'ipaddr.js';
import type { KindStrategy, KubeObject } from '../registry/types.js';
import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import { isLabelKey, isValidPortNum } from '../validation/names.js';
import { validateLabels } from '../validation/labels.js';
import { tryParseQuantity, formatQuantity } from '../quantity.js';
import { labelSelectorAsSelector } from '../labels/index.js';
import { defaultTemplate, nonNegative } from './pod-template.js';
import { validatePodSpec } from './pod-validation.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const spec = (o: KubeObject): Any => (o['spec'] ?? {}) as Any;
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const IP_EXAMPLE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const isIP = (text: string): boolean => ipaddr.isValid(text) && (ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text));
const isCIDR = (text: string): boolean => {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
};

/** core/v1 Node: podCIDRs and taints (upstream ValidateNode). */
export const nodeStrategy: KindStrategy = {
  validate(o) {
    const s = spec(o);
    const errs: FieldError[] = [];
    (s['podCIDRs'] ?? []).forEach((c: string, i: number) => {
      if (!isCIDR(String(c))) errs.push(fieldErrors.invalid(`spec.podCIDRs[${i}]`, c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    });
    const seen = new Set<string>();
    (s['taints'] ?? []).forEach((t: Any, i: number) => {
      for (const m of isLabelKey(String(t['key'] ?? ''))) errs.push(fieldErrors.invalid(`spec.taints[${i}].key`, t['key'] ?? '', m));
      if (!EFFECTS.includes(t['effect'])) errs.push(fieldErrors.notSupported(`spec.taints[${i}].effect`, t['effect'] ?? '', EFFECTS));
      const key = `${t['key']}:${t['effect']}`;
      if (seen.has(key)) errs.push(fieldErrors.duplicate(`spec.taints[${i}]`, `${t['key']}=${t['value'] ?? ''}:${t['effect']}`));
      seen.add(key);
    });
    return errs;
  },
};

/** core/v1 Endpoints: addresses are IPs, ports are ports. */
export const endpointsStrategy: KindStrategy = {
  defaults(o) {
    for (const subset of (o['subsets'] ?? []) as Any[]) for (const p of subset['ports'] ?? []) p['protocol'] ??= 'TCP';
  },
  validate(o) {
    const errs: FieldError[] = [];
    ((o['subsets'] ?? []) as Any[]).forEach((subset, i) => {
      for (const list of ['addresses', 'notReadyAddresses']) {
        (subset[list] ?? []).forEach((a: Any, j: number) => {
          if (!isIP(String(a['ip'] ?? ''))) errs.push(fieldErrors.invalid(`subsets[${i}].${list}[${j}].ip`, a['ip'] ?? '', IP_EXAMPLE));
        });
      }
      (subset['ports'] ?? []).forEach((p: Any, j: number) => {
        for (const m of isValidPortNum(p['port'])) errs.push(fieldErrors.invalid(`subsets[${i}].ports[${j}].port`, p['port'] ?? 0, m));
        if (p['protocol'] !== undefined && !PROTOCOLS.includes(p['protocol'])) errs.push(fieldErrors.notSupported(`subsets[${i}].ports[${j}].protocol`, p['protocol'], PROTOCOLS));
      });
    });
    return errs;
  },
};

const QUOTA_RESOURCES = /^(pods|services|services\.loadbalancers|services\.nodeports|secrets|configmaps|persistentvolumeclaims|replicationcontrollers|resourcequotas|cpu|memory|ephemeral-storage|storage|(requests|limits)\.[a-z0-9.\-/]+|count\/[a-z0-9.\-]+|[a-z0-9.-]+\/[a-z0-9.-]+)$/;

/** core/v1 ResourceQuota: known resource names, non-negative quantities. */
export const resourceQuotaStrategy: KindStrategy = {
  prepareForCreate: (o) => void delete o['status'],
  validate(o) {
    const errs: FieldError[] = [];
    for (const [name, value] of Object.entries((spec(o)['hard'] ?? {}) as Record<string, string>)) {
      if (!QUOTA_RESOURCES.test(name)) errs.push(fieldErrors.invalid(`spec.hard[${name}]`, name, 'must be a standard resource type or fully qualified'));
      const q = tryParseQuantity(value);
      if (q !== undefined && q.value < 0) errs.push(fieldErrors.invalid(`spec.hard[${name}]`, String(value), 'must be greater than or equal to 0'));
    }
    return errs;
  },
};

const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];

/** core/v1 LimitRange: a known type, and min <= default <= max for each resource. */
export const limitRangeStrategy: KindStrategy = {
  validate(o) {
    const errs: FieldError[] = [];
    ((spec(o)['limits'] ?? []) as Any[]).forEach((item, i) => {
      const at = `spec.limits[${i}]`;
      if (!LIMIT_TYPES.includes(item['type'])) errs.push(fieldErrors.notSupported(`${at}.type`, item['type'] ?? '', LIMIT_TYPES));
      const max = (item['max'] ?? {}) as Record<string, string>;
      const min = (item['min'] ?? {}) as Record<string, string>;
      for (const field of ['default', 'defaultRequest'] as const) {
        for (const [res, raw] of Object.entries((item[field] ?? {}) as Record<string, string>)) {
          const v = tryParseQuantity(raw);
          const hi = tryParseQuantity(max[res]);
          const lo = tryParseQuantity(min[res]);
          const word = field === 'default' ? 'default' : 'default request';
          if (v !== undefined && hi !== undefined && v.value > hi.value) errs.push(fieldErrors.invalid(`${at}.${field}[${res}]`, raw, `${word} value ${formatQuantity(v)} is greater than max value ${formatQuantity(hi)}`));
          if (v !== undefined && lo !== undefined && v.value < lo.value) errs.push(fieldErrors.invalid(`${at}.${field}[${res}]`, raw, `min value ${formatQuantity(lo)} is greater than ${word} value ${formatQuantity(v)}`));
        }
      }
      for (const [res, raw] of Object.entries(min)) {
        const lo = tryParseQuantity(raw);
        const hi = tryParseQuantity(max[res]);
        if (lo !== undefined && hi !== undefined && lo.value > hi.value) errs.push(fieldErrors.invalid(`${at}.min[${res}]`, raw, `min value ${formatQuantity(lo)} is greater than max value ${formatQuantity(hi)}`));
      }
    });
    return errs;
  },
};

/** coordination.k8s.io/v1 Lease: a positive duration. */
export const leaseStrategy: KindStrategy = {
  validate(o) {
    const d = spec(o)['leaseDurationSeconds'];
    return d !== undefined && !(d > 0) ? [fieldErrors.invalid('spec.leaseDurationSeconds', d, 'must be greater than 0')] : [];
  },
};

/** networking.k8s.io/v1 NetworkPolicy: policy types and port protocols. */
export const networkPolicyStrategy: KindStrategy = {
  defaults(o) {
    const s = spec(o);
    o['spec'] = s;
    s['podSelector'] ??= {};
    if (s['policyTypes'] === undefined) s['policyTypes'] = s['egress'] !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
    for (const dir of ['ingress', 'egress']) for (const rule of s[dir] ?? []) for (const p of rule['ports'] ?? []) p['protocol'] ??= 'TCP';
  },
  validate(o) {
    const s = spec(o);
    const errs: FieldError[] = [];
    ((s['policyTypes'] ?? []) as string[]).forEach((t, i) => {
      if (t !== 'Ingress' && t !== 'Egress') errs.push(fieldErrors.notSupported(`spec.policyTypes[${i}]`, t, ['Egress', 'Ingress']));
    });
    for (const dir of ['ingress', 'egress']) {
      ((s[dir] ?? []) as Any[]).forEach((rule, i) =>
        ((rule['ports'] ?? []) as Any[]).forEach((p, j) => {
          if (p['protocol'] !== undefined && !PROTOCOLS.includes(p['protocol'])) errs.push(fieldErrors.notSupported(`spec.${dir}[${i}].ports[${j}].protocol`, p['protocol'], PROTOCOLS));
        }),
      );
    }
    return errs;
  },
};

/** networking.k8s.io/v1 IngressClass: a domain-prefixed controller name. */
export const ingressClassStrategy: KindStrategy = {
  validate(o) {
    const c = spec(o)['controller'];
    if (!c) return [fieldErrors.required('spec.controller')];
    return String(c).includes('/') ? [] : [fieldErrors.invalid('spec.controller', c, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  },
};

/** core/v1 ReplicationController: a map selector that matches the template. */
export const replicationControllerStrategy: KindStrategy = {
  defaults(o) {
    const s = spec(o);
    o['spec'] = s;
    s['replicas'] ??= 1;
    // upstream: an empty selector defaults to the template's labels
    if (s['selector'] === undefined || Object.keys(s['selector']).length === 0) s['selector'] = { ...(s['template']?.['metadata']?.['labels'] ?? {}) };
    defaultTemplate(s['template']);
  },
  prepareForCreate: (o) => void delete o['status'],
  validate(o) {
    const s = spec(o);
    const errs: FieldError[] = [...nonNegative(s['replicas'], 'spec.replicas'), ...validateLabels(s['selector'], 'spec.selector')];
    const labels = (s['template']?.['metadata']?.['labels'] ?? {}) as Record<string, string>;
    if (Object.keys(s['selector'] ?? {}).length === 0) errs.push(fieldErrors.required('spec.selector'));
    else if (!labelSelectorAsSelector({ matchLabels: s['selector'] }).matches(labels)) errs.push(fieldErrors.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    if (s['template'] === undefined) errs.push(fieldErrors.required('spec.template'));
    else errs.push(...validatePodSpec(s['template']['spec'], 'spec.template.spec'));
    return errs;
  },
};

/** core/v1 PodTemplate: the template is a pod spec. */
export const podTemplateStrategy: KindStrategy = {
  defaults(o) {
    defaultTemplate(o['template'] as never);
  },
  validate(o) {
    const t = o['template'] as Any | undefined;
    return t === undefined ? [fieldErrors.required('template')] : validatePodSpec(t['spec'], 'template.spec');
  },
};

/** apps/v1 ControllerRevision: a non-negative revision. */
export const controllerRevisionStrategy: KindStrategy = {
  validate(o) {
    return nonNegative(o['revision'] as number | undefined, 'revision');
  },
};
