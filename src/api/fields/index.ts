export { FieldSelector, parseFieldSelector } from './field-selector.js';
export type { FieldRequirement, FieldSet } from './field-selector.js';
export { selectableFields, supportedFields, checkFieldSelector } from './selectable-fields.js';
