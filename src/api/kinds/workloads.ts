import { jsonEqual } from '../json-clone.js';
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import type { KindStrategy, KubeObject } from '../registry/types.js';
import { defaultTemplate, isZeroIntOrPercent, nonNegative, validateIntOrPercent, validateSelectorAndTemplate } from './pod-template.js';
import { defaultPodSpec } from './pod-defaults.js';

const selectorImmutable = (spec: { selector?: unknown } | undefined, old: { selector?: unknown } | undefined): FieldError[] =>
  !jsonEqual(spec?.selector, old?.selector) ? [fieldErrors.invalid('spec.selector', spec?.selector ?? null, 'field is immutable')] : [];

/** Upstream clears status on create for every workload (PrepareForCreate). */
const clearStatus = (o: KubeObject): void => {
  delete o['status'];
};

/** apps/v1 SetDefaults_Deployment and ValidateDeployment. */
export const deploymentStrategy: KindStrategy = {
  defaults(o) {
    const d = o as Deployment;
    const spec = (d.spec ??= { selector: undefined as never, template: {} });
    spec.replicas ??= 1;
    spec.strategy ??= {};
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultTemplate(spec.template);
  },
  prepareForCreate: clearStatus,
  validate(o) {
    const spec = (o as Deployment).spec;
    if (spec === undefined) return [fieldErrors.required('spec')];
    const errs = [...nonNegative(spec.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(spec.selector, spec.template, 'spec', 'deployment')];
    const type = spec.strategy?.type;
    if (type !== undefined && type !== 'Recreate' && type !== 'RollingUpdate') errs.push(fieldErrors.notSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']));
    if (type === 'Recreate' && spec.strategy?.rollingUpdate !== undefined) {
      errs.push(fieldErrors.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    }
    const ru = spec.strategy?.rollingUpdate;
    if (ru !== undefined) {
      errs.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
      errs.push(...validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
      // k8s-rules.md Deployments: both 0 is refused
      if (isZeroIntOrPercent(ru.maxUnavailable) && isZeroIntOrPercent(ru.maxSurge)) {
        errs.push(fieldErrors.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
    }
    errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'), ...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
    if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(fieldErrors.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
    return errs;
  },
  validateUpdate(o, old) {
    return [...deploymentStrategy.validate!(o), ...selectorImmutable((o as Deployment).spec, (old as Deployment).spec)];
  },
};

/** apps/v1 ReplicaSet. */
export const replicaSetStrategy: KindStrategy = {
  defaults(o) {
    const spec = ((o as ReplicaSet).spec ??= { selector: undefined as never });
    spec.replicas ??= 1;
    defaultTemplate(spec.template);
  },
  prepareForCreate: clearStatus,
  validate(o) {
    const spec = (o as ReplicaSet).spec;
    if (spec === undefined) return [fieldErrors.required('spec')];
    return [...nonNegative(spec.replicas, 'spec.replicas'), ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'), ...validateSelectorAndTemplate(spec.selector, spec.template, 'spec', 'replicaset')];
  },
  validateUpdate(o, old) {
    return [...replicaSetStrategy.validate!(o), ...selectorImmutable((o as ReplicaSet).spec, (old as ReplicaSet).spec)];
  },
};

/** apps/v1 DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0 by default. */
export const daemonSetStrategy: KindStrategy = {
  defaults(o) {
    const spec = ((o as DaemonSet).spec ??= { selector: undefined as never, template: {} });
    spec.updateStrategy ??= {};
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
      spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    defaultTemplate(spec.template);
  },
  prepareForCreate: clearStatus,
  validate(o) {
    const spec = (o as DaemonSet).spec;
    if (spec === undefined) return [fieldErrors.required('spec')];
    const errs = validateSelectorAndTemplate(spec.selector, spec.template, 'spec', 'daemonset');
    const type = spec.updateStrategy?.type;
    if (type !== undefined && type !== 'OnDelete' && type !== 'RollingUpdate') errs.push(fieldErrors.notSupported('spec.updateStrategy.type', type, ['OnDelete', 'RollingUpdate']));
    return errs;
  },
  validateUpdate(o, old) {
    return [...daemonSetStrategy.validate!(o), ...selectorImmutable((o as DaemonSet).spec, (old as DaemonSet).spec)];
  },
};

/** apps/v1 StatefulSet. */
export const statefulSetStrategy: KindStrategy = {
  defaults(o) {
    const spec = ((o as StatefulSet).spec ??= { selector: undefined as never, template: {}, serviceName: '' });
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= 'OrderedReady';
    spec.updateStrategy ??= {};
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.partition ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
    for (const pvc of spec.volumeClaimTemplates ?? []) {
      pvc.spec ??= {};
      pvc.spec.volumeMode ??= 'Filesystem';
    }
    defaultTemplate(spec.template);
  },
  prepareForCreate: clearStatus,
  validate(o) {
    const spec = (o as StatefulSet).spec;
    if (spec === undefined) return [fieldErrors.required('spec')];
    // upstream ValidateStatefulSetSpec: mounts may name a volumeClaimTemplate (each becomes a claim volume of the pod).
    const claimVolumes = (spec.volumeClaimTemplates ?? []).map((t) => ({ name: t.metadata?.name ?? '', persistentVolumeClaim: { claimName: t.metadata?.name ?? '' } }));
    const template = claimVolumes.length === 0 || spec.template?.spec === undefined ? spec.template : { ...spec.template, spec: { ...spec.template.spec, volumes: [...(spec.template.spec.volumes ?? []).filter((v) => !claimVolumes.some((c) => c.name === v.name)), ...claimVolumes] } };
    const errs = [...nonNegative(spec.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(spec.selector, template, 'spec', 'statefulset')];
    const pmp = spec.podManagementPolicy;
    if (pmp !== undefined && pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(fieldErrors.notSupported('spec.podManagementPolicy', pmp, ['OrderedReady', 'Parallel']));
    return errs;
  },
  validateUpdate(o, old) {
    const errs = statefulSetStrategy.validate!(o);
    const spec = { ...(o as StatefulSet).spec } as Record<string, unknown>;
    const before = { ...(old as StatefulSet).spec } as Record<string, unknown>;
    // upstream: only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds may change
    for (const k of ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'revisionHistoryLimit']) {
      delete spec[k];
      delete before[k];
    }
    if (!jsonEqual(spec, before)) {
      errs.push(
        fieldErrors.forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
    return errs;
  },
};

/** batch/v1 Job. The selector and controller-uid labels are generated by the API server on create. */
export const jobStrategy: KindStrategy = {
  defaults(o) {
    const spec = ((o as Job).spec ??= { template: {} });
    if (spec.completions === undefined && spec.parallelism === undefined) {
      spec.completions = 1;
      spec.parallelism = 1;
    }
    spec.parallelism ??= 1;
    spec.backoffLimit ??= 6;
    spec.completionMode ??= 'NonIndexed';
    spec.suspend ??= false;
    spec.podReplacementPolicy ??= 'TerminatingOrFailed';
    spec.manualSelector ??= undefined;
    defaultTemplate(spec.template);
  },
  prepareForCreate(o) {
    clearStatus(o);
    // upstream job strategy generateSelector: label pods with the Job's uid
    const job = o as Job;
    const uid = String(job.metadata?.uid ?? '');
    const spec = job.spec!;
    if (!spec.manualSelector) {
      const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': job.metadata?.name ?? '', 'controller-uid': uid, 'job-name': job.metadata?.name ?? '' };
      spec.template.metadata ??= {};
      spec.template.metadata.labels = { ...labels, ...(spec.template.metadata.labels ?? {}) };
      spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    }
  },
  validate(o) {
    const spec = (o as Job).spec;
    if (spec === undefined) return [fieldErrors.required('spec')];
    const errs = [
      ...nonNegative(spec.parallelism, 'spec.parallelism'),
      ...nonNegative(spec.completions, 'spec.completions'),
      ...nonNegative(spec.backoffLimit, 'spec.backoffLimit'),
      ...validateSelectorAndTemplate(spec.selector ?? { matchLabels: spec.template?.metadata?.labels ?? {} }, spec.template, 'spec', 'job', ['Always', 'OnFailure', 'Never']),
    ];
    // upstream batch ValidateJobSpec: Always (the pod default) or empty is "Required", anything else unsupported
    const restart = spec.template?.spec?.restartPolicy;
    if (restart === 'Always' || restart === undefined) errs.push(fieldErrors.required('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"'));
    else if (restart !== 'OnFailure' && restart !== 'Never') errs.push(fieldErrors.notSupported('spec.template.spec.restartPolicy', restart, ['OnFailure', 'Never']));
    if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0) {
      errs.push(fieldErrors.invalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be greater than 0'));
    }
    return errs;
  },
};

/** batch/v1 CronJob. */
export const cronJobStrategy: KindStrategy = {
  defaults(o) {
    const spec = ((o as CronJob).spec ??= { schedule: '', jobTemplate: {} });
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    const jobSpec = spec.jobTemplate.spec;
    if (jobSpec !== undefined) {
      jobSpec.backoffLimit ??= 6;
      jobSpec.completionMode ??= 'NonIndexed';
      if (jobSpec.template.spec !== undefined) defaultPodSpec(jobSpec.template.spec);
    }
  },
  prepareForCreate: clearStatus,
  validate(o) {
    const c = o as CronJob;
    const spec = c.spec;
    if (spec === undefined) return [fieldErrors.required('spec')];
    const errs: FieldError[] = [];
    if (!spec.schedule) errs.push(fieldErrors.required('spec.schedule'));
    const cp = spec.concurrencyPolicy;
    if (cp !== undefined && !['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(fieldErrors.notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
    // upstream: CronJob names are limited to 52 characters (11 are added for the Job's name)
    const name = c.metadata?.name ?? '';
    if (name.length > 52) errs.push(fieldErrors.invalid('metadata.name', name, 'must be no more than 52 characters'));
    return errs;
  },
};
