export { Simulation, SimulationLimitError } from './kernel.js';
export type { SimulationOptions, RunUntilOptions, RunUntilIdleOptions } from './kernel.js';
export { Timer } from './event-queue.js';
export { RandomStreams, Rng, normaliseSeed } from './rng.js';
export type { Seed } from './rng.js';
export { Trace, hashTraceLines } from './trace.js';
export type { TraceFields, TraceOptions } from './trace.js';
