// Crucible's public API. Later layers (cluster, scenario, report) add to it.
export * from './sim/index.js';
export * from './faults/index.js';
