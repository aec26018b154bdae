export { Selector, requirementMatches, requirementString } from './selector.js';
export type { Requirement, Operator, Labels } from './selector.js';
export { parseSelector, requirement, SelectorParseError } from './parse.js';
export { labelSelectorAsSelector, selectorFromSet, validateLabelSelector } from './label-selector.js';
