import { cloneJson } from '../json-clone.js';
import jsonpatch from 'fast-json-patch';
import mergePatch from 'json-merge-patch';
import { apiErrors, type StatusError } from '../errors/status.js';
import { supportsStrategicMerge } from './schema.js';
import { PatchError, strategicMergePatch } from './strategic-merge.js';

export type PatchType = 'json' | 'merge' | 'strategic';

/** The Content-Type each patch type is sent with. */
export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/**
 * Apply a patch of any of the three kinds kubectl sends. Failures become the
 * API server's answers: a malformed or inapplicable patch is a 422 (JSON
 * patch) or 400, and a strategic merge patch on a kind without a schema
 * (a custom resource) is refused with 415, as upstream refuses it.
 */
export function applyPatch(type: PatchType, kind: string, original: unknown, patch: unknown): unknown {
  try {
    switch (type) {
      case 'json': {
        if (!Array.isArray(patch)) throw apiErrors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
        const result = jsonpatch.applyPatch(cloneJson(original), patch as jsonpatch.Operation[], true, true);
        return result.newDocument;
      }
      case 'merge':
        if (typeof patch !== 'object' || patch === null) throw apiErrors.badRequest('merge patch must be a JSON object');
        return mergePatch.apply(cloneJson(original), patch);
      case 'strategic':
        if (!supportsStrategicMerge(kind)) throw unsupportedMediaType();
        return strategicMergePatch(kind, cloneJson(original), patch);
    }
  } catch (e) {
    if (e instanceof PatchError) throw apiErrors.badRequest(e.message);
    if (e instanceof jsonpatch.JsonPatchError) throw jsonPatchStatus(e);
    throw e;
  }
}

function jsonPatchStatus(e: InstanceType<typeof jsonpatch.JsonPatchError>): StatusError {
  const op = e.operation as { op?: string; path?: string } | undefined;
  const what = e.name === 'TEST_OPERATION_FAILED' ? 'test failed' : e.message.split('\n')[0]!;
  const error = apiErrors.unknown(`the server rejected our request due to an error in our request: ${op?.op ?? 'patch'} operation on ${op?.path ?? '?'}: ${what}`, 422);
  return error;
}

function unsupportedMediaType(): StatusError {
  return apiErrors.unknown(
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    415,
  );
}
