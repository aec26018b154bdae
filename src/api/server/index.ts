export { ApiServer } from './apiserver.js';
export type { ApiServerOptions } from './apiserver.js';
export type { ApiRequest, ApiResponse, UserInfo, Verb, WatchEventOut, WatchHandle } from './request.js';
export { prepareCreate, prepareUpdate } from './prepare.js';
export { bookmark } from './watch.js';
export { rfc3339, parseRfc3339, DEFAULT_EPOCH_MS } from './time.js';
export { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from './deletion.js';
export { ApiGateway } from './gateway.js';
export type { IncomingRequest } from './gateway.js';
