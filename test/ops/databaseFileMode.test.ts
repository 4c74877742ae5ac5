/**
 * The history database is readable by its owner only: a new file, and the -wal/-shm files SQLite creates
 * beside it, get mode 0600 even when the process umask would allow more (real files in a temp dir).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { at, service, tempDir } from '../history/builders.js';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => tmp?.remove());

const mode = (f: string) => statSync(f).mode & 0o777;

describe('history database file mode', () => {
  for (const umask of [0o022, 0o000]) {
    it(`is 0600 for the file and its -wal/-shm files with umask ${umask.toString(8).padStart(3, '0')}`, async () => {
      tmp = tempDir('rt-mode-');
      const file = join(tmp.dir, 'nested', 'h.db');
      const previous = process.umask(umask);
      let writer: HistoryWriter | undefined;
      try {
        writer = await HistoryWriter.open({ file, cluster: 'test' });
        writer.listed('Service', [service('default', 'a', '1')], at(0));
        await writer.flush();
        const files = [file, `${file}-wal`, `${file}-shm`];
        for (const f of files) expect(existsSync(f), f).toBe(true);
        expect(Object.fromEntries(files.map((f) => [f.slice(file.length) || 'db', mode(f).toString(8)]))).toEqual({ db: '600', '-wal': '600', '-shm': '600' });
      } finally {
        await writer?.close();
        process.umask(previous);
      }
    });
  }
});
