export { ResourceRegistry } from './registry.js';
export { builtinResources } from './builtin.js';
export { ALL_VERBS, apiVersionOf } from './types.js';
export type { KindStrategy, KubeObject, ResourceType } from './types.js';
