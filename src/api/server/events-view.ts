import { eventFromView, eventToView } from '../kinds/events-view.js';
import { applyPatch } from '../patch/index.js';
import type { KubeObject } from '../registry/types.js';
import type { Reply } from './context.js';
import type { ApiRequest } from './request.js';

/** events.k8s.io/v1 is a view of the core Events: requests are translated in, answers translated out. */
export function handleEventsView(handle: (req: ApiRequest, reply: Reply) => void, req: ApiRequest, reply: Reply): void {
  const core: ApiRequest = { ...req, group: '', version: 'v1' };
  const toView = (body: KubeObject): KubeObject => {
    if (Array.isArray(body['items'])) return { ...body, kind: 'EventList', apiVersion: 'events.k8s.io/v1', items: (body['items'] as KubeObject[]).map((i) => { const { kind: _k, apiVersion: _a, ...rest } = eventToView(i); return rest; }) };
    return body.kind === 'Event' ? eventToView(body) : body;
  };
  const answer: Reply = (error, response) => (error ? reply(error) : reply(null, { ...response!, body: toView(response!.body) }));
  if (req.verb === 'patch') {
    // Patch the view, then store the result.
    handle({ ...core, verb: 'get', patchType: undefined }, (error, current) => {
      if (error) return reply(error);
      let patched: KubeObject;
      try {
        patched = applyPatch(req.patchType === 'strategic' || req.patchType === 'apply' ? 'merge' : (req.patchType ?? 'merge'), 'Event', eventToView(current!.body), req.body) as KubeObject;
      } catch (e) {
        return reply(e);
      }
      handle({ ...core, verb: 'update', body: eventFromView(patched) }, answer);
    });
    return;
  }
  const body = req.body !== undefined && (req.verb === 'create' || req.verb === 'update') ? eventFromView(req.body as KubeObject) : req.body;
  handle({ ...core, body }, answer);
}
