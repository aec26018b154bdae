import { jsonEqual } from '../json-clone.js';
import type { ConfigMap, Namespace, PersistentVolumeClaim, Pod, Secret, Service } from 'kubernetes-types/core/v1.js';
import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import { validateLabels } from '../validation/labels.js';
import { isConfigMapKey, isDNS1035Label, isValidPortNum } from '../validation/names.js';
import type { KindStrategy } from '../registry/types.js';
import { DecodeError } from './decode-error.js';
import { defaultPodSpec } from './pod-defaults.js';
import { validateEphemeralContainersUpdate, withEphemeralContainers } from './ephemeral-containers.js';
import { validatePodSpec, validatePodSpecUpdate } from './pod-validation.js';
import { podQOSClass } from './qos.js';

/** core/v1 Pod: defaults, Pending with its QoS class on create, an immutable spec. */
export const podStrategy: KindStrategy = {
  defaults(o) {
    const pod = o as Pod;
    if (pod.spec !== undefined) defaultPodSpec(pod.spec);
  },
  prepareForCreate(o) {
    const pod = o as Pod;
    // upstream pod strategy PrepareForCreate: status starts as Pending with the QoS class
    o['status'] = { phase: 'Pending', qosClass: pod.spec === undefined ? 'BestEffort' : podQOSClass(pod.spec) };
  },
  validate(o) {
    const errs = validatePodSpec((o as Pod).spec);
    // upstream ValidatePodCreate: ephemeral containers come only through the subresource.
    if ((o as Pod).spec?.ephemeralContainers !== undefined && (o as Pod).spec!.ephemeralContainers!.length > 0) errs.push(fieldErrors.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    return errs;
  },
  subresourceUpdate: {
    ephemeralcontainers: { merge: withEphemeralContainers, validate: (o, old) => validateEphemeralContainersUpdate(o as Pod, old as Pod) },
  },
  validateUpdate(o, old) {
    const spec = (o as Pod).spec;
    const before = (old as Pod).spec;
    const errs = validatePodSpec(spec);
    if (spec !== undefined && before !== undefined) errs.push(...validatePodSpecUpdate(spec, before));
    return errs;
  },
};

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

/** core/v1 Service defaults and ValidateService (cluster IPs are allocated by the API server). */
export const serviceStrategy: KindStrategy = {
  defaults(o) {
    const spec = ((o as Service).spec ??= {});
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
    for (const p of spec.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
  },
  prepareForCreate(o) {
    o['status'] = { loadBalancer: {} };
  },
  validate(o) {
    const svc = o as Service;
    const spec = svc.spec ?? {};
    const errs: FieldError[] = [];
    for (const m of isDNS1035Label(svc.metadata?.name ?? '')) if (svc.metadata?.name) errs.push(fieldErrors.invalid('metadata.name', svc.metadata.name, m));
    const type = spec.type ?? 'ClusterIP';
    if (!SERVICE_TYPES.includes(type)) errs.push(fieldErrors.notSupported('spec.type', type, SERVICE_TYPES));
    const headless = spec.clusterIP === 'None';
    const ports = spec.ports ?? [];
    if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fieldErrors.required('spec.ports'));
    if (type === 'ExternalName' && !spec.externalName) errs.push(fieldErrors.required('spec.externalName'));
    const names = new Set<string>();
    ports.forEach((p, i) => {
      const at = `spec.ports[${i}]`;
      if (ports.length > 1 && !p.name) errs.push(fieldErrors.required(`${at}.name`));
      if (p.name) {
        if (names.has(p.name)) errs.push(fieldErrors.duplicate(`${at}.name`, p.name));
        names.add(p.name);
      }
      for (const m of isValidPortNum(p.port)) errs.push(fieldErrors.invalid(`${at}.port`, p.port, m));
      if (p.protocol !== undefined && !['SCTP', 'TCP', 'UDP'].includes(p.protocol)) errs.push(fieldErrors.notSupported(`${at}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
      if (p.nodePort !== undefined && type !== 'NodePort' && type !== 'LoadBalancer') {
        errs.push(fieldErrors.forbidden(`${at}.nodePort`, 'may not be used when `type` is \'ClusterIP\''));
      }
    });
    errs.push(...validateLabels(spec.selector, 'spec.selector'));
    return errs;
  },
};

/** upstream ValidateConfigMap: keys are config keys, no key in both maps, at most 1 MiB. */
export const configMapStrategy: KindStrategy = {
  validate(o) {
    const cm = o as ConfigMap;
    const errs: FieldError[] = [];
    let size = 0;
    for (const [key, value] of Object.entries(cm.data ?? {})) {
      for (const m of isConfigMapKey(key)) errs.push(fieldErrors.invalid(`data[${key}]`, key, m));
      if (cm.binaryData?.[key] !== undefined) errs.push(fieldErrors.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
      size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
    }
    for (const [key, value] of Object.entries(cm.binaryData ?? {})) {
      for (const m of isConfigMapKey(key)) errs.push(fieldErrors.invalid(`binaryData[${key}]`, key, m));
      size += Buffer.byteLength(key) + Math.floor((String(value).length * 3) / 4);
    }
    if (size > 1024 * 1024) errs.push(fieldErrors.tooLong('data', 1024 * 1024));
    return errs;
  },
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** upstream Secret: stringData is folded into data; typed secrets need their keys; type is immutable. */
export const secretStrategy: KindStrategy = {
  defaults(o) {
    const s = o as Secret;
    s.type ??= 'Opaque';
    for (const [k, v] of Object.entries(s.data ?? {})) {
      if (typeof v !== 'string' || v.length % 4 !== 0 || !BASE64.test(v)) throw new DecodeError(`illegal base64 data at input byte ${firstBadByte(String(v))}`);
      void k;
    }
    if (s.stringData !== undefined) {
      s.data ??= {};
      for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      delete s.stringData;
    }
  },
  validate(o) {
    const s = o as Secret;
    const errs: FieldError[] = [];
    let size = 0;
    for (const [key, value] of Object.entries(s.data ?? {})) {
      for (const m of isConfigMapKey(key)) errs.push(fieldErrors.invalid(`data[${key}]`, key, m));
      size += Buffer.from(String(value), 'base64').length;
    }
    if (size > 1024 * 1024) errs.push(fieldErrors.tooLong('data', 1024 * 1024));
    const has = (k: string): boolean => s.data?.[k] !== undefined;
    switch (s.type) {
      case 'kubernetes.io/dockerconfigjson':
        if (!has('.dockerconfigjson')) errs.push(fieldErrors.required('data[.dockerconfigjson]'));
        break;
      case 'kubernetes.io/dockercfg':
        if (!has('.dockercfg')) errs.push(fieldErrors.required('data[.dockercfg]'));
        break;
      case 'kubernetes.io/tls':
        if (!has('tls.crt')) errs.push(fieldErrors.required('data[tls.crt]'));
        if (!has('tls.key')) errs.push(fieldErrors.required('data[tls.key]'));
        break;
      case 'kubernetes.io/basic-auth':
        if (!has('username') && !has('password')) errs.push(fieldErrors.required('data[username]'));
        break;
      case 'kubernetes.io/ssh-auth':
        if (!has('ssh-privatekey')) errs.push(fieldErrors.required('data[ssh-privatekey]'));
        break;
      case 'kubernetes.io/service-account-token':
        if (!s.metadata?.annotations?.['kubernetes.io/service-account.name']) {
          errs.push(fieldErrors.required('metadata.annotations[kubernetes.io/service-account.name]'));
        }
        break;
    }
    return errs;
  },
  validateUpdate(o, old) {
    const errs = secretStrategy.validate!(o);
    if ((o as Secret).type !== (old as Secret).type) errs.push(fieldErrors.invalid('type', (o as Secret).type, 'field is immutable'));
    if ((old as Secret).immutable === true && !jsonEqual((o as Secret).data, (old as Secret).data)) {
      errs.push(fieldErrors.forbidden('data', 'field is immutable when `immutable` is set'));
    }
    return errs;
  },
};

function firstBadByte(v: string): number {
  for (let i = 0; i < v.length; i++) if (!/[A-Za-z0-9+/=]/.test(v[i]!)) return i;
  return v.length;
}

/** A new Namespace is Active, with the `kubernetes` finalizer the namespace controller removes. */
export const namespaceStrategy: KindStrategy = {
  defaults(o) {
    const ns = o as Namespace;
    ns.spec ??= {};
    ns.spec.finalizers ??= ['kubernetes'];
  },
  prepareForCreate(o) {
    o['status'] = { phase: 'Active' };
  },
};

/** PersistentVolumeClaim: access modes and a storage request are required; it starts Pending. */
export const pvcStrategy: KindStrategy = {
  defaults(o) {
    const spec = ((o as PersistentVolumeClaim).spec ??= {});
    spec.volumeMode ??= 'Filesystem';
  },
  prepareForCreate(o) {
    o['status'] = { phase: 'Pending' };
  },
  validate(o) {
    const spec = (o as PersistentVolumeClaim).spec ?? {};
    const errs: FieldError[] = [];
    if ((spec.accessModes ?? []).length === 0) errs.push(fieldErrors.required('spec.accessModes', 'at least 1 access mode is required'));
    if (spec.resources?.requests?.['storage'] === undefined) errs.push(fieldErrors.required('spec.resources[storage]'));
    return errs;
  },
};
