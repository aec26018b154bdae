import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { labelSelectorAsSelector, validateLabelSelector } from '../labels/index.js';
import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import { validateAnnotations, validateLabels } from '../validation/labels.js';
import { defaultPodSpec } from './pod-defaults.js';
import { validatePodSpec } from './pod-validation.js';

/** Defaults of a workload's pod template. */
export function defaultTemplate(template: PodTemplateSpec | undefined): void {
  if (template?.spec !== undefined) defaultPodSpec(template.spec);
}

/**
 * A workload's selector and pod template (upstream ValidatePodTemplateSpecForReplicaSet
 * and friends): selector required and non-empty, template labels matched by
 * it, template pod spec valid, restartPolicy among `allowedRestart`.
 */
export function validateSelectorAndTemplate(
  selector: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  path: string,
  kindWord: string,
  allowedRestart: readonly string[] = ['Always'],
): FieldError[] {
  const errs: FieldError[] = [];
  if (selector === undefined) errs.push(fieldErrors.required(`${path}.selector`));
  else {
    errs.push(...validateLabelSelector(selector, `${path}.selector`));
    if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
      errs.push(fieldErrors.invalid(`${path}.selector`, selector, `empty selector is invalid for ${kindWord}`));
    }
  }
  if (template === undefined) {
    errs.push(fieldErrors.required(`${path}.template`));
    return errs;
  }
  const labels = template.metadata?.labels ?? {};
  errs.push(...validateLabels(labels, `${path}.template.metadata.labels`));
  errs.push(...validateAnnotations(template.metadata?.annotations, `${path}.template.metadata.annotations`));
  if (selector !== undefined && errs.length === 0) {
    let matches = false;
    try {
      matches = labelSelectorAsSelector(selector).matches(labels);
    } catch {
      matches = false;
    }
    if (!matches) errs.push(fieldErrors.invalid(`${path}.template.metadata.labels`, labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodSpec(template.spec, `${path}.template.spec`));
  const restart = template.spec?.restartPolicy;
  if (restart !== undefined && !allowedRestart.includes(restart)) {
    errs.push(
      allowedRestart.length === 1
        ? fieldErrors.notSupported(`${path}.template.spec.restartPolicy`, restart, allowedRestart)
        : fieldErrors.required(`${path}.template.spec.restartPolicy`, `valid values: ${allowedRestart.map((r) => JSON.stringify(r)).join(', ')}`),
    );
  }
  return errs;
}

/** upstream ValidateNonnegativeField. */
export function nonNegative(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value < 0 ? [fieldErrors.invalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** upstream apps validation for int-or-percent fields (maxSurge, maxUnavailable). */
export function validateIntOrPercent(value: number | string | undefined, path: string): FieldError[] {
  if (value === undefined) return [];
  if (typeof value === 'number') return nonNegative(value, path);
  const m = /^([0-9]+)%$/.exec(value);
  if (m === null) return [fieldErrors.invalid(path, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  if (Number(m[1]) > 100) return [fieldErrors.invalid(path, value, 'must not be greater than 100%')];
  return [];
}

/** 0, "0" and "0%" all mean zero. */
export function isZeroIntOrPercent(value: number | string | undefined): boolean {
  return value === 0 || value === '0%' || value === '0';
}
