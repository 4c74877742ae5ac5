import { describe, expect, it } from 'vitest';
import { decodeBody, encodeBody, encodeDelta, isDelta } from '../../src/history/bodyCodec.js';
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
    expect(() => decodeBody(Buffer.from([0x03, 0x00]))).toThrow(/unknown body encoding 0x3/);
  });

  const readySlice = (ready: boolean, ip = '10.0.0.2') => splitBody(project('EndpointSlice', slice('a', 's', 'web', '2', [
    { ip: '10.0.0.1', ready: true, pod: 'p1' }, { ip, ready, pod: `pod-${ip}` }, { ip: '10.0.0.3', ready: true, pod: 'p3' },
  ]))).body;
  const deltas = [
    { name: 'a readiness flip', from: readySlice(true), to: readySlice(false), under: 32 },
    { name: 'an endpoint replaced', from: readySlice(true), to: readySlice(true, '10.9.9.9'), under: 60 },
    { name: 'no change', from: readySlice(true), to: readySlice(true), under: 8 },
    { name: 'from an empty body', from: '{}', to: readySlice(true), under: 1000 },
    { name: 'to an empty body', from: readySlice(true), to: '{}', under: 12 },
    { name: 'non-ASCII text', from: cases[3]!.json, to: cases[3]!.json.replace('北', '南'), under: 16 },
  ];

  it.each(deltas)('a delta for $name decodes from its chain and is small', ({ from, to, under }) => {
    const stored = encodeDelta(Buffer.from(from), Buffer.from(to));
    expect(isDelta(stored)).toBe(true);
    expect(stored.length).toBeLessThan(under);
    expect(decodeBody(stored, [encodeBody(from)])).toBe(to);
    expect(decodeBody(stored, [encodeBody(from)].map((b) => b.toString('hex')).join(','))).toBe(to);
  });

  it('decodes a chain of deltas from its keyframe', () => {
    const versions = [readySlice(true), readySlice(false), readySlice(true, '10.9.9.9'), readySlice(false, '10.9.9.9')];
    const stored = [encodeBody(versions[0]!), ...versions.slice(1).map((v, i) => encodeDelta(Buffer.from(versions[i]!), Buffer.from(v)))];
    for (let i = 0; i < versions.length; i++) expect(decodeBody(stored[i]!, stored.slice(0, i))).toBe(versions[i]);
  });

  it('refuses a delta without its chain', () => {
    expect(() => decodeBody(encodeDelta(Buffer.from('{}'), Buffer.from('{"a":1}')))).toThrow(/without the bodies/);
  });
});
