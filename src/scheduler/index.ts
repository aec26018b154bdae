export { Scheduler } from './scheduler.js';
export type { SchedulerOptions } from './scheduler.js';
export { SchedulingAlgorithm, fitErrorMessage, numFeasibleNodesToFind } from './algorithm.js';
export { DEFAULT_PLUGINS } from './plugins/index.js';
export { SchedulingQueue, backoffMs } from './queue.js';
export { NodeInfo, PodInfo } from './node-info.js';
export type { Plugin, FilterFailure, CycleState } from './framework.js';
