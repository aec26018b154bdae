import { describe, expect, it } from 'vitest';
import { apiErrors } from './status.js';
import { fieldErrors } from '../validation/field-errors.js';

describe('Status errors (upstream apimachinery/pkg/api/errors)', () => {
  it.each([
    [apiErrors.notFound({ group: '', resource: 'pods' }, 'web-0'), 404, 'NotFound', 'pods "web-0" not found'],
    [apiErrors.alreadyExists({ group: 'apps', resource: 'deployments' }, 'web'), 409, 'AlreadyExists', 'deployments.apps "web" already exists'],
    [
      apiErrors.conflict({ group: '', resource: 'pods' }, 'web-0'),
      409,
      'Conflict',
      'Operation cannot be fulfilled on pods "web-0": the object has been modified; please apply your changes to the latest version and try again',
    ],
    [
      apiErrors.forbidden({ group: '', resource: 'pods' }, 'web-0', 'User "system:node:node-2" cannot delete resource "pods" in API group "" in the namespace "default"'),
      403,
      'Forbidden',
      'pods "web-0" is forbidden: User "system:node:node-2" cannot delete resource "pods" in API group "" in the namespace "default"',
    ],
    [apiErrors.unauthorized(), 401, 'Unauthorized', 'Unauthorized'],
    [apiErrors.resourceExpired('too old resource version: 5 (10)'), 410, 'Expired', 'too old resource version: 5 (10)'],
    [apiErrors.unknown('etcdserver: request timed out'), 500, '', 'etcdserver: request timed out'],
  ])('%s', (error, code, reason, message) => {
    expect(error.code).toBe(code);
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(message);
    expect(error.status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, message });
  });

  it('Invalid lists each field error as a cause and in the message', () => {
    const error = apiErrors.invalid({ group: 'apps', kind: 'Deployment' }, 'web', [
      fieldErrors.invalid('spec.template.metadata.labels', { tier: 'web', app: 'x' }, '`selector` does not match template `labels`'),
      fieldErrors.required('spec.selector'),
    ]);
    expect(error.code).toBe(422);
    expect(error.message).toBe(
      'Deployment.apps "web" is invalid: [spec.template.metadata.labels: Invalid value: map[string]string{"app":"x", "tier":"web"}: `selector` does not match template `labels`, spec.selector: Required value]',
    );
    expect(error.status.details?.causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: map[string]string{"app":"x", "tier":"web"}: `selector` does not match template `labels`', field: 'spec.template.metadata.labels' },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
    ]);
  });
});
