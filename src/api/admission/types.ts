import type { KubeObject, ResourceType } from '../registry/types.js';
import type { MVCCStore } from '../store/index.js';

/** What an admission plugin sees: the request's target and the API server's state. */
export interface AdmissionContext {
  store: MVCCStore;
  type: ResourceType;
  object: KubeObject;
  namespace: string | undefined;
  /** A [0,1) draw for generated names (the kube-api-access volume's suffix). */
  random(): number;
}
