import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import { validateLabelName, validateLabels } from '../validation/labels.js';
import { requirement } from './parse.js';
import { Selector, type Operator, type Requirement } from './selector.js';

const OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/** upstream metav1validation.ValidateLabelSelector, with its messages. */
export function validateLabelSelector(selector: LabelSelector | undefined | null, path: string): FieldError[] {
  if (selector === undefined || selector === null) return [];
  const errs: FieldError[] = [];
  (selector.matchExpressions ?? []).forEach((expr, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldErrors.required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldErrors.forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldErrors.invalid(`${at}.operator`, expr.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(expr.key, `${at}.key`));
  });
  errs.push(...validateLabels(selector.matchLabels, `${path}.matchLabels`));
  return errs;
}

/**
 * upstream metav1.LabelSelectorAsSelector: null selects nothing, `{}`
 * selects everything, matchLabels become equality requirements and
 * matchExpressions set-based ones. Callers validate first.
 */
export function labelSelectorAsSelector(selector: LabelSelector | undefined | null): Selector {
  if (selector === undefined || selector === null) return Selector.nothing();
  const requirements: Requirement[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) requirements.push(requirement(k, '=', [v]));
  for (const expr of selector.matchExpressions ?? []) {
    const op = OPERATORS[expr.operator];
    if (op === undefined) throw new Error(`"${expr.operator}" is not a valid label selector operator`);
    requirements.push(requirement(expr.key, op, op === 'exists' || op === '!' ? [] : (expr.values ?? [])));
  }
  return requirements.length === 0 ? Selector.everything() : Selector.of(requirements);
}

/** upstream labels.SelectorFromSet: equality on each pair (a Service's or ReplicationController's selector). */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined | null): Selector {
  if (set === undefined || set === null) return Selector.everything();
  return Selector.of(Object.entries(set).map(([k, v]) => requirement(k, '=', [v])));
}
