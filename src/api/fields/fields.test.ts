import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FieldSelector, parseFieldSelector } from './field-selector.js';
import { checkFieldSelector, selectableFields } from './selectable-fields.js';
import { StatusError } from '../errors/status.js';

const pod = {
  metadata: { name: 'web-0', namespace: 'default' },
  spec: { nodeName: 'node-1', restartPolicy: 'Always' },
  status: { phase: 'Running', podIPs: [{ ip: '10.244.1.5' }] },
};

describe('field selectors', () => {
  it('selects pods by the fields kubectl users rely on', () => {
    const fields = selectableFields('pods', pod, true);
    expect(fields).toMatchObject({ 'metadata.name': 'web-0', 'metadata.namespace': 'default', 'spec.nodeName': 'node-1', 'status.phase': 'Running', 'status.podIP': '10.244.1.5', 'spec.hostNetwork': 'false' });
    expect(parseFieldSelector('spec.nodeName=node-1,status.phase!=Failed').matches(fields)).toBe(true);
    expect(parseFieldSelector('spec.nodeName==node-2').matches(fields)).toBe(false);
    // A missing field reads as the empty string: `spec.nodeName=` finds unscheduled pods.
    expect(parseFieldSelector('spec.nodeName=').matches(selectableFields('pods', { metadata: { name: 'p' } }, true))).toBe(true);
  });

  it('handles escaped separators in values and round-trips', () => {
    const s = parseFieldSelector('metadata.name=a\\,b\\=c');
    expect(s.requirements).toEqual([{ field: 'metadata.name', operator: '=', value: 'a,b=c' }]);
    expect(parseFieldSelector(s.toString()).requirements).toEqual(s.requirements);
    fc.assert(
      fc.property(fc.array(fc.record({ field: fc.constantFrom('metadata.name', 'spec.nodeName', 'status.phase'), operator: fc.constantFrom<'=' | '!='>('=', '!='), value: fc.string() }), { maxLength: 4 }), (reqs) => {
        const selector = FieldSelector.of(reqs);
        expect(parseFieldSelector(selector.toString()).requirements).toEqual(selector.requirements);
      }),
    );
  });

  it('refuses malformed selectors and unsupported fields with the API server messages (400)', () => {
    expect(() => parseFieldSelector('status.phase')).toThrow("invalid selector: 'status.phase'; can't understand 'status.phase'");
    const error = (() => {
      try {
        checkFieldSelector('pods', parseFieldSelector('spec.foo=bar'));
      } catch (e) {
        return e as StatusError;
      }
      return undefined;
    })();
    expect(error?.code).toBe(400);
    expect(error?.message).toBe('field label not supported: spec.foo');
    expect(() => checkFieldSelector('events', parseFieldSelector('involvedObject.name=web-0,reason=Killing'))).not.toThrow();
    expect(() => checkFieldSelector('configmaps', parseFieldSelector('metadata.name=x'))).not.toThrow();
  });
});
