import { jsonEqual } from '../json-clone.js';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import { validateLabelSelector } from '../labels/index.js';
import type { KindStrategy, KubeObject } from '../registry/types.js';
import { validateIntOrPercent } from './pod-template.js';
import { validateVersionSchemas } from '../crd/crd-validation.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const spec = (o: KubeObject): Any => (o['spec'] ?? {}) as Any;

/** policy/v1 PodDisruptionBudget: exactly one of minAvailable / maxUnavailable. */
export const pdbStrategy: KindStrategy = {
  prepareForCreate: (o) => void delete o['status'],
  validate(o) {
    const s = spec(o);
    const errs: FieldError[] = [];
    if (s['minAvailable'] !== undefined && s['maxUnavailable'] !== undefined) errs.push(fieldErrors.invalid('spec', s, 'minAvailable and maxUnavailable cannot be both set'));
    errs.push(...validateIntOrPercent(s['minAvailable'], 'spec.minAvailable'), ...validateIntOrPercent(s['maxUnavailable'], 'spec.maxUnavailable'));
    errs.push(...validateLabelSelector(s['selector'], 'spec.selector'));
    return errs;
  },
};

/** autoscaling/v2 HorizontalPodAutoscaler: replicas bounds and a target. */
export const hpaStrategy: KindStrategy = {
  defaults(o) {
    const s = spec(o);
    o['spec'] = s;
    s['minReplicas'] ??= 1;
    // upstream pkg/apis/autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: no metrics means 80 % CPU utilization.
    if (!Array.isArray(s['metrics']) || s['metrics'].length === 0) s['metrics'] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  },
  prepareForCreate: (o) => void delete o['status'],
  validate(o) {
    const s = spec(o);
    const errs: FieldError[] = [];
    if (s['minReplicas'] !== undefined && s['minReplicas'] < 1) errs.push(fieldErrors.invalid('spec.minReplicas', s['minReplicas'], 'must be greater than or equal to 1'));
    if (!(s['maxReplicas'] >= 1)) errs.push(fieldErrors.invalid('spec.maxReplicas', s['maxReplicas'] ?? 0, 'must be greater than or equal to 1'));
    if (s['minReplicas'] !== undefined && s['maxReplicas'] !== undefined && s['minReplicas'] > s['maxReplicas']) {
      errs.push(fieldErrors.invalid('spec.minReplicas', s['minReplicas'], 'must be less than or equal to maxReplicas'));
    }
    if (!s['scaleTargetRef']?.kind) errs.push(fieldErrors.required('spec.scaleTargetRef.kind'));
    if (!s['scaleTargetRef']?.name) errs.push(fieldErrors.required('spec.scaleTargetRef.name'));
    return errs;
  },
};

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

/** networking.k8s.io/v1 Ingress: every path has a pathType and a backend. */
export const ingressStrategy: KindStrategy = {
  prepareForCreate: (o) => void (o['status'] = { loadBalancer: {} }),
  validate(o) {
    const s = spec(o);
    const errs: FieldError[] = [];
    if (!s['defaultBackend'] && (s['rules'] ?? []).length === 0) errs.push(fieldErrors.invalid('spec.rules', [], 'either `defaultBackend` or `rules` must be specified'));
    (s['rules'] ?? []).forEach((rule: Any, i: number) => {
      (rule['http']?.['paths'] ?? []).forEach((p: Any, j: number) => {
        const at = `spec.rules[${i}].http.paths[${j}]`;
        if (p['pathType'] === undefined) errs.push(fieldErrors.required(`${at}.pathType`, 'pathType must be specified'));
        else if (!PATH_TYPES.includes(p['pathType'])) errs.push(fieldErrors.notSupported(`${at}.pathType`, p['pathType'], PATH_TYPES));
        if ((p['pathType'] === 'Exact' || p['pathType'] === 'Prefix') && !String(p['path'] ?? '').startsWith('/')) {
          errs.push(fieldErrors.invalid(`${at}.path`, p['path'] ?? '', "must be an absolute path"));
        }
        const svc = p['backend']?.['service'];
        if (svc === undefined && p['backend']?.['resource'] === undefined) errs.push(fieldErrors.invalid(`${at}.backend`, p['backend'] ?? {}, 'must specify one of service or resource backend'));
        if (svc !== undefined && !svc['port']) errs.push(fieldErrors.required(`${at}.backend.service.port`));
      });
    });
    return errs;
  },
};

/** scheduling.k8s.io/v1 PriorityClass: `system-` names are reserved. */
export const priorityClassStrategy: KindStrategy = {
  defaults(o) {
    o['preemptionPolicy'] ??= 'PreemptLowerPriority';
  },
  validate(o) {
    const name = String(o.metadata?.name ?? '');
    const errs: FieldError[] = [];
    if (name.startsWith('system-') && name !== 'system-node-critical' && name !== 'system-cluster-critical') {
      errs.push(fieldErrors.invalid('metadata.name', name, "priority class names with 'system-' prefix are reserved for system use only"));
    }
    if (typeof o['value'] !== 'number') errs.push(fieldErrors.required('value'));
    return errs;
  },
};

/** apiextensions.k8s.io/v1 CustomResourceDefinition: the name is plural.group, one storage version. */
export const crdStrategy: KindStrategy = {
  // apiextensions v1 SetDefaults_CustomResourceDefinitionSpec: singular and listKind from the kind, conversion None.
  defaults(o) {
    const s = (o['spec'] ??= {}) as { names?: { kind?: string; singular?: string; listKind?: string }; conversion?: unknown };
    if (s.names?.kind) {
      s.names.singular ??= s.names.kind.toLowerCase();
      s.names.listKind ??= `${s.names.kind}List`;
    }
    s.conversion ??= { strategy: 'None' };
  },
  prepareForCreate: (o) => void (o['status'] = { conditions: [], acceptedNames: { kind: '', plural: '' }, storedVersions: [] }),
  validate(o) {
    const s = spec(o);
    const errs: FieldError[] = [];
    const plural = s['names']?.['plural'];
    const group = s['group'];
    if (!group) errs.push(fieldErrors.required('spec.group'));
    else if (!String(group).includes('.')) errs.push(fieldErrors.invalid('spec.group', group, 'should be a domain with at least one dot'));
    if (!plural) errs.push(fieldErrors.required('spec.names.plural'));
    if (!s['names']?.['kind']) errs.push(fieldErrors.required('spec.names.kind'));
    if (plural && group && o.metadata?.name !== `${plural}.${group}`) errs.push(fieldErrors.invalid('metadata.name', o.metadata?.name ?? '', 'must be spec.names.plural+"."+spec.group'));
    if (s['scope'] !== 'Namespaced' && s['scope'] !== 'Cluster') errs.push(fieldErrors.notSupported('spec.scope', s['scope'] ?? '', ['Cluster', 'Namespaced']));
    const versions: Any[] = s['versions'] ?? [];
    if (versions.length === 0) errs.push(fieldErrors.invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
    else if (versions.filter((v) => v['storage'] === true).length !== 1) errs.push(fieldErrors.invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
    errs.push(...validateVersionSchemas(versions));
    return errs;
  },
};

/** storage.k8s.io/v1 StorageClass. */
export const storageClassStrategy: KindStrategy = {
  defaults(o) {
    o['reclaimPolicy'] ??= 'Delete';
    o['volumeBindingMode'] ??= 'Immediate';
  },
  validate(o) {
    return o['provisioner'] ? [] : [fieldErrors.required('provisioner')];
  },
};

/** core/v1 PersistentVolume: capacity required; Retain by default; Pending until the controller makes it Available. */
export const pvStrategy: KindStrategy = {
  defaults(o) {
    const s = ((o as PersistentVolume).spec ??= {});
    s.persistentVolumeReclaimPolicy ??= 'Retain';
    s.volumeMode ??= 'Filesystem';
  },
  prepareForCreate: (o) => void (o['status'] = { phase: 'Pending' }),
  validate(o) {
    const s = (o as PersistentVolume).spec ?? {};
    const errs: FieldError[] = [];
    if (s.capacity?.['storage'] === undefined) errs.push(fieldErrors.required('spec.capacity', 'must specify a storage capacity'));
    if ((s.accessModes ?? []).length === 0) errs.push(fieldErrors.required('spec.accessModes'));
    return errs;
  },
};

/** discovery.k8s.io/v1 EndpointSlice. */
export const endpointSliceStrategy: KindStrategy = {
  validate(o) {
    const t = o['addressType'];
    if (t === undefined) return [fieldErrors.required('addressType')];
    return ['FQDN', 'IPv4', 'IPv6'].includes(String(t)) ? [] : [fieldErrors.notSupported('addressType', t, ['FQDN', 'IPv4', 'IPv6'])];
  },
};

/** core/v1 Event: the involved object lives in the event's namespace. */
export const eventStrategy: KindStrategy = {
  validate(o) {
    const involved = o['involvedObject'] as Any | undefined;
    const ns = o.metadata?.namespace;
    if (involved?.['namespace'] && ns && involved['namespace'] !== ns) return [fieldErrors.invalid('involvedObject.namespace', involved['namespace'], 'does not match event.namespace')];
    return [];
  },
};

/** rbac.authorization.k8s.io/v1 rules need verbs; a binding's roleRef never changes. */
export const roleStrategy: KindStrategy = {
  validate(o) {
    const errs: FieldError[] = [];
    ((o['rules'] ?? []) as Any[]).forEach((r, i) => {
      if ((r['verbs'] ?? []).length === 0) errs.push(fieldErrors.required(`rules[${i}].verbs`, 'verbs must contain at least one value'));
      if ((r['nonResourceURLs'] ?? []).length === 0 && (r['resources'] ?? []).length === 0 && o.kind === 'Role') {
        errs.push(fieldErrors.required(`rules[${i}].resources`, 'resource rules must supply at least one resource'));
      }
    });
    return errs;
  },
};

export const bindingStrategy: KindStrategy = {
  validate(o) {
    const ref = o['roleRef'] as Any | undefined;
    const errs: FieldError[] = [];
    if (!ref?.['name']) errs.push(fieldErrors.required('roleRef.name'));
    if (ref?.['kind'] !== 'Role' && ref?.['kind'] !== 'ClusterRole') errs.push(fieldErrors.notSupported('roleRef.kind', ref?.['kind'] ?? '', ['ClusterRole', 'Role']));
    if (o.kind === 'ClusterRoleBinding' && ref?.['kind'] === 'Role') errs.push(fieldErrors.notSupported('roleRef.kind', 'Role', ['ClusterRole']));
    ((o['subjects'] ?? []) as Any[]).forEach((s, i) => {
      if (!['ServiceAccount', 'User', 'Group'].includes(s['kind'])) errs.push(fieldErrors.notSupported(`subjects[${i}].kind`, s['kind'] ?? '', ['Group', 'ServiceAccount', 'User']));
      if (!s['name']) errs.push(fieldErrors.required(`subjects[${i}].name`));
    });
    return errs;
  },
  validateUpdate(o, old) {
    const errs = bindingStrategy.validate!(o);
    if (!jsonEqual(o['roleRef'], old['roleRef'])) errs.push(fieldErrors.invalid('roleRef', o['roleRef'], 'cannot change roleRef'));
    return errs;
  },
};
