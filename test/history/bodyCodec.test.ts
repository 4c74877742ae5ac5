import { describe, expect, it } from 'vitest';
import { decodeBody, encodeBody } from '../../src/history/bodyCodec.js';
import { splitBody } from '../../src/history/storedBody.js';
import { project } from '../../src/model/project.js';
import { pod, slice } from './builders.js';

describe('bodyCodec', () => {
  const cases = [
    { name: 'a pod body', json: splitBody(project('Pod', pod('a', 'p', '1'))).body },
    { name: 'a slice body', json: splitBody(project('EndpointSlice', slice('a', 's', 'web', '2', [{ ip: '10.0.0.1', ready: true, pod: 'p' }]))).body },
    { name: 'a tiny body', json: '{}' },
    { name: 'non-ASCII text', json: '{"metadata":{"labels":{"team":"équipe-北"}}}' },
  ];

  it.each(cases)('$name decodes to the same text', ({ json }) => {
    expect(decodeBody(encodeBody(json))).toBe(json);
  });

  it('stores typical bodies deflated, well under their JSON size', () => {
    const json = cases[0]!.json;
    const stored = encodeBody(json);
    expect(stored[0]).toBe(0x01);
    expect(stored.length).toBeLessThan(json.length / 3);
  });

  it('stores a body plain when deflating would not shrink it, and reads it', () => {
    const stored = encodeBody('{}');
    expect(stored.toString('utf8')).toBe('{}');
  });

  it('encodes deterministically', () => {
    expect(encodeBody(cases[1]!.json).equals(encodeBody(cases[1]!.json))).toBe(true);
  });

  it('rejects an unknown encoding', () => {
    expect(() => decodeBody(Buffer.from([0x02, 0x00]))).toThrow(/unknown body encoding 0x2/);
  });
});
