import { fieldErrors, type FieldError } from './field-errors.js';
import { isLabelKey, isLabelValue } from './names.js';

/** upstream apimachinery/pkg/api/validation TotalAnnotationSizeLimitB: 256 KiB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

const sortedKeys = (m: Readonly<Record<string, string>>): string[] => Object.keys(m).sort();

/** upstream metav1validation.ValidateLabelName. */
export function validateLabelName(name: string, path: string): FieldError[] {
  return isLabelKey(name).map((m) => fieldErrors.invalid(path, name, m));
}

/**
 * upstream metav1validation.ValidateLabels: every key a label key, every
 * value a label value; errors carry the map's path, not the key's. Keys are
 * checked in sorted order so the error list is stable.
 */
export function validateLabels(labels: Readonly<Record<string, string>> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (labels === undefined || labels === null) return errs;
  for (const k of sortedKeys(labels)) {
    errs.push(...validateLabelName(k, path));
    const v = labels[k];
    if (typeof v !== 'string') {
      errs.push(fieldErrors.typeInvalid(`${path}.${k}`, v, 'must be a string'));
      continue;
    }
    for (const m of isLabelValue(v)) errs.push(fieldErrors.invalid(path, v, m));
  }
  return errs;
}

/** upstream apimachinery/pkg/api/validation ValidateAnnotations: keys are label keys (lower-cased), total size 256 KiB. */
export function validateAnnotations(annotations: Readonly<Record<string, string>> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (annotations === undefined || annotations === null) return errs;
  let total = 0;
  for (const k of sortedKeys(annotations)) {
    for (const m of isLabelKey(k.toLowerCase())) errs.push(fieldErrors.invalid(path, k, m));
    const v = annotations[k];
    if (typeof v !== 'string') errs.push(fieldErrors.typeInvalid(`${path}.${k}`, v, 'must be a string'));
    total += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(fieldErrors.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}
