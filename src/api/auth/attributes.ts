import type { UserInfo } from '../server/request.js';

/** What a request asks to do, as authorizers see it (upstream authorizer.Attributes). */
export interface Attributes {
  user: UserInfo;
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export type Decision = { decision: 'allow' } | { decision: 'deny'; reason: string } | { decision: 'no-opinion'; reason: string };

/** upstream responsewriters.forbiddenMessage. */
export function forbiddenMessage(a: Attributes): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (a.namespace) return `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" in the namespace "${a.namespace}"`;
  return `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" at the cluster scope`;
}
