export { ReconcileLoop, runActions } from './runtime.js';
export type { ReconcileResult } from './runtime.js';
export { GarbageCollector } from './garbage-collector.js';
export { NamespaceController } from './namespace.js';
export { ServiceAccountsController, reconcileServiceAccounts } from './serviceaccount.js';
export { RootCACertPublisher, reconcileRootCA } from './root-ca.js';
