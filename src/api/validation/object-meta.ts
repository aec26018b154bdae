import { fieldErrors, type FieldError } from './field-errors.js';
import { validateAnnotations, validateLabels } from './labels.js';
import { isDNS1123Label, isDNS1123Subdomain, isLabelKey } from './names.js';

/** How a kind's names are checked: returns upstream's messages for a bad name. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/** upstream NameIsDNSSubdomain (with a generateName prefix, the trailing '-' is allowed). */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
/** upstream NameIsDNSLabel (Namespaces). */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
/** upstream path.IsValidPathSegmentName (RBAC objects): anything that is a safe URL segment. */
export const nameIsPathSegment: NameValidator = (name) => {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const c of ['/', '%']) if (name.includes(c)) errs.push(`may not contain '${c}'`);
  return errs;
};

function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
}

interface Meta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<{ apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean; blockOwnerDeletion?: boolean }>;
}

/** upstream apimachinery/pkg/api/validation ValidateObjectMeta. */
export function validateObjectMeta(meta: Meta | undefined, namespaced: boolean, nameFn: NameValidator, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const m = meta ?? {};
  if (m.generateName !== undefined && m.generateName !== '') {
    for (const msg of nameFn(m.generateName, true)) errs.push(fieldErrors.invalid(`${path}.generateName`, m.generateName, msg));
  }
  if (m.name === undefined || m.name === '') {
    if (m.generateName === undefined || m.generateName === '') errs.push(fieldErrors.required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const msg of nameFn(m.name, false)) errs.push(fieldErrors.invalid(`${path}.name`, m.name, msg));
  }
  if (namespaced) {
    if (m.namespace === undefined || m.namespace === '') errs.push(fieldErrors.required(`${path}.namespace`));
    else for (const msg of isDNS1123Label(m.namespace)) errs.push(fieldErrors.invalid(`${path}.namespace`, m.namespace, msg));
  } else if (m.namespace !== undefined && m.namespace !== '') {
    errs.push(fieldErrors.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${path}.finalizers`));
  return errs;
}

/** upstream ValidateOwnerReferences: every field required, at most one controller. */
function validateOwnerReferences(refs: Meta['ownerReferences'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (refs === undefined) return errs;
  const controllers: string[] = [];
  refs.forEach((ref, i) => {
    const at = `${path}[${i}]`;
    if (!ref.apiVersion) errs.push(fieldErrors.invalid(`${at}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(fieldErrors.invalid(`${at}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(fieldErrors.invalid(`${at}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(fieldErrors.invalid(`${at}.uid`, ref.uid ?? '', 'uid must not be empty'));
    if (ref.controller === true) controllers.push(`${ref.kind}/${ref.name}`);
  });
  if (controllers.length > 1) {
    errs.push(fieldErrors.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`));
  }
  return errs;
}

/** upstream ValidateFinalizers: qualified names, unique. */
function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (finalizers ?? []).forEach((f) => {
    for (const msg of isLabelKey(f)) errs.push(fieldErrors.invalid(path, f, msg));
    if (seen.has(f)) errs.push(fieldErrors.duplicate(path, f));
    seen.add(f);
  });
  return errs;
}

/** upstream ValidateObjectMetaUpdate: identity fields cannot change. */
export function validateObjectMetaUpdate(meta: Meta & { uid?: string; creationTimestamp?: string }, old: Meta & { uid?: string; creationTimestamp?: string }, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const immutable = (field: 'name' | 'namespace' | 'uid' | 'creationTimestamp'): void => {
    if (meta[field] !== undefined && meta[field] !== old[field]) errs.push(fieldErrors.invalid(`${path}.${field}`, meta[field], 'field is immutable'));
  };
  immutable('name');
  immutable('namespace');
  immutable('uid');
  immutable('creationTimestamp');
  return errs;
}
