export { TokenAuthenticator, identities } from './authn.js';
export { Authorizer } from './authorize.js';
export { RBACAuthorizer, ruleAllows } from './rbac.js';
export { authorizeNode, nodeRestriction, nodeOf } from './node.js';
export { forbiddenMessage } from './attributes.js';
export type { Attributes, Decision } from './attributes.js';
export { BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_CLUSTER_ROLE_BINDINGS } from './bootstrap-policy.js';
