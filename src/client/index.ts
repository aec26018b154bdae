export { ApiClient, ConnectionError } from './api-client.js';
export type { ApiClientOptions, Callback, ClientError, ClientRequest, WatchCallbacks } from './api-client.js';
export { Informer } from './informer.js';
export type { EventHandler, IndexFunc, InformerOptions } from './informer.js';
export { WorkQueue } from './workqueue.js';
export type { WorkQueueOptions } from './workqueue.js';
export { Backoff } from './backoff.js';
export { requestPath, describeRequest } from './paths.js';
