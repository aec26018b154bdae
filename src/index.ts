// Crucible's public API. Later layers (cluster, scenario, report) add to it.
export * from './sim/index.js';
export * from './faults/index.js';
export * from './api/index.js';
export * from './client/index.js';
export { controlPlaneWorld } from './client/testing.js';
export type { ControlPlaneWorld } from './client/testing.js';
export * from './control/index.js';
export * from './cluster/index.js';
