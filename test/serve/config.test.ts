import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/Command.js';
import { envName, parseDuration, parseListen, parseSize, serveConfig } from '../../src/config.js';

describe('serve configuration', () => {
  it('applies the documented defaults', () => {
    const c = serveConfig({}, {});
    expect(c).toMatchObject({ db: './data/routetrace.db', namespaces: [], listen: { host: '127.0.0.1', port: 8080 } });
    expect(c.retentionMs).toBe(30 * 86_400_000);
    expect(c.maxDbSizeBytes).toBe(2 * 1024 ** 3);
    expect(c.cluster).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.listen)).toBe(true);
    expect(Object.isFrozen(c.namespaces)).toBe(true);
  });

  it('reads every flag from ROUTETRACE_* and lets flags win', () => {
    const env = {
      ROUTETRACE_KUBECONFIG: '/k', ROUTETRACE_CONTEXT: 'ctx', ROUTETRACE_SERVER: 'http://127.0.0.1:9', ROUTETRACE_NAMESPACE: 'a, b',
      ROUTETRACE_DB: '/tmp/x.db', ROUTETRACE_CLUSTER: 'prod', ROUTETRACE_RETENTION: '12h', ROUTETRACE_MAX_DB_SIZE: '500MiB',
      ROUTETRACE_LISTEN: '127.0.0.1:0',
    };
    expect(serveConfig({}, env)).toMatchObject({
      kubeconfig: '/k', context: 'ctx', server: 'http://127.0.0.1:9', namespaces: ['a', 'b'], db: '/tmp/x.db', cluster: 'prod',
      retentionMs: 12 * 3_600_000, maxDbSizeBytes: 500 * 1024 ** 2, listen: { host: '127.0.0.1', port: 0 },
    });
    expect(serveConfig({ db: '/flag.db', namespace: ['c'] }, env)).toMatchObject({ db: '/flag.db', namespaces: ['c'] });
    expect(envName('max-db-size')).toBe('ROUTETRACE_MAX_DB_SIZE');
  });

  const bad: [string, Record<string, string | string[]>, Record<string, string>, RegExp][] = [
    ['a retention without unit', { retention: '30' }, {}, /--retention/],
    ['a size with an unknown unit', { 'max-db-size': '2 parsecs' }, {}, /--max-db-size/],
    ['a size below 1MiB', { 'max-db-size': '10KiB' }, {}, /minimum/],
    ['a listen address without port', { listen: '127.0.0.1' }, {}, /--listen/],
    ['a port above 65535', { listen: '127.0.0.1:70000' }, {}, /--listen/],
    ['a server that is not a URL', { server: 'localhost' }, {}, /--server/],
    ['a namespace with capitals', { namespace: ['Prod'] }, {}, /--namespace/],
    ['a bad value in the environment names the variable', {}, { ROUTETRACE_RETENTION: 'forever' }, /ROUTETRACE_RETENTION/],
  ];
  for (const [name, flags, env, message] of bad) {
    it(`rejects ${name} with a UsageError`, () => {
      expect(() => serveConfig(flags, env)).toThrow(UsageError);
      expect(() => serveConfig(flags, env)).toThrow(message);
    });
  }

  const durations: [string, number][] = [['90s', 90_000], ['1h30m', 5_400_000], ['2w', 1_209_600_000], ['250ms', 250]];
  for (const [text, ms] of durations) it(`parses duration ${text}`, () => expect(parseDuration(text)).toBe(ms));

  const sizes: [string, number][] = [['2GiB', 2 * 1024 ** 3], ['1GB', 1e9], ['1.5MiB', 1.5 * 1024 ** 2], ['1048576', 1048576]];
  for (const [text, bytes] of sizes) it(`parses size ${text}`, () => expect(parseSize(text)).toBe(bytes));

  const listens: [string, { host: string; port: number }][] = [
    ['[::1]:8080', { host: '::1', port: 8080 }],
    [':9000', { host: '0.0.0.0', port: 9000 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
  ];
  for (const [text, addr] of listens) it(`parses listen address ${text}`, () => expect(parseListen(text)).toEqual(addr));
});
