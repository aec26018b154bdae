export { applyPatch, PATCH_CONTENT_TYPES } from './apply.js';
export type { PatchType } from './apply.js';
export { strategicMergePatch, PatchError } from './strategic-merge.js';
export { listStrategy, supportsStrategicMerge, STRATEGIES } from './schema.js';
export type { ListStrategy } from './schema.js';
