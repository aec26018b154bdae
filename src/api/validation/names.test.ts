import { describe, expect, it } from 'vitest';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isLabelKey, isLabelValue, isConfigMapKey, isValidPortName } from './names.js';
import { validateAnnotations, validateLabels } from './labels.js';
import { aggregateMessage, fieldErrors } from './field-errors.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('names (upstream apimachinery validation)', () => {
  it.each([
    ['nginx', []],
    ['my.app-1', []],
    ['Nginx', [SUBDOMAIN_MSG]],
    ['-nginx', [SUBDOMAIN_MSG]],
    ['a'.repeat(253), []],
    ['a'.repeat(254), ['must be no more than 253 characters']],
  ])('DNS-1123 subdomain %j', (value, errors) => expect(isDNS1123Subdomain(value)).toEqual(errors));

  it.each([
    ['default', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['kube.system', ['must not contain dots']],
    ['Kube', [LABEL_MSG]],
  ])('DNS-1123 label %j', (value, errors) => expect(isDNS1123Label(value)).toEqual(errors));

  it('DNS-1035 labels must start with a letter (Service names)', () => {
    expect(isDNS1035Label('web')).toEqual([]);
    expect(isDNS1035Label('1web')[0]).toMatch(/^a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/);
  });

  it.each([
    ['app', []],
    ['app.kubernetes.io/name', []],
    ['Example.com/MyName', ['prefix part ' + SUBDOMAIN_MSG]],
    ['/name', ['prefix part must be non-empty']],
    ['example.com/', ['name part must be non-empty', NAME_PART_MSG]],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
    [`${'a'.repeat(253)}/x`, []],
    [`${'a'.repeat(254)}/x`, ['prefix part must be no more than 253 characters']],
    ['a/b/c', [expect.stringMatching(/^a valid label key must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/)]],
    ['bad key', [NAME_PART_MSG]],
  ])('label key %j', (value, errors) => expect(isLabelKey(value)).toEqual(errors));

  it.each([
    ['', []],
    ['v1.2_3-x', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['-x', [VALUE_MSG]],
    ['has space', [VALUE_MSG]],
  ])('label value %j', (value, errors) => expect(isLabelValue(value)).toEqual(errors));

  it('config map keys and port names', () => {
    expect(isConfigMapKey('..data')).toEqual(["must not start with '..'"]);
    expect(isValidPortName('http-metrics')).toEqual([]);
    expect(isValidPortName('http--x')).toEqual(['must not contain consecutive hyphens']);
    expect(isValidPortName('8080')).toEqual(['must contain at least one letter (a-z)']);
  });
});

describe('label and annotation maps', () => {
  it('reports bad keys and values against the map path, as upstream does', () => {
    const errs = validateLabels({ 'Bad Key': 'ok', app: '-bad' }, 'metadata.labels').map(String);
    expect(errs).toEqual([`metadata.labels: Invalid value: "Bad Key": ${NAME_PART_MSG}`, `metadata.labels: Invalid value: "-bad": ${VALUE_MSG}`]);
  });

  it('limits annotations to 256 KiB in total', () => {
    expect(validateAnnotations({ big: 'x'.repeat(256 * 1024) }, 'metadata.annotations').map(String)).toEqual(['metadata.annotations: Too long: must have at most 262144 bytes']);
    expect(validateAnnotations({ 'Upper.Case/Key': 'fine' }, 'metadata.annotations')).toEqual([]);
  });
});

describe('field errors', () => {
  it.each([
    [fieldErrors.required('spec.containers[0].image'), 'spec.containers[0].image: Required value'],
    [fieldErrors.required('metadata.name', 'name or generateName is required'), 'metadata.name: Required value: name or generateName is required'],
    [fieldErrors.invalid('spec.replicas', -1, 'must be greater than or equal to 0'), 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    [fieldErrors.notSupported('spec.restartPolicy', 'Sometimes', ['Always', 'OnFailure', 'Never']), 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    [fieldErrors.forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`'), 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`'],
    [fieldErrors.duplicate('spec.containers[1].name', 'app'), 'spec.containers[1].name: Duplicate value: "app"'],
  ])('formats %s', (error, text) => expect(error.toString()).toBe(text));

  it('aggregates one error plainly and several in brackets, without duplicates', () => {
    const a = fieldErrors.required('a');
    const b = fieldErrors.required('b');
    expect(aggregateMessage([a])).toBe('a: Required value');
    expect(aggregateMessage([a, b, a])).toBe('[a: Required value, b: Required value]');
  });
});
