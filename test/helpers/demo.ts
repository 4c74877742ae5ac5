/**
 * demo: runs the compiled `routetrace demo` as a child process (as a user runs it) and waits until it
 * printed its addresses and is ready. Needs `npm run build` first (npm test does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from '../watch/waitFor.js';
import { BIN } from './runCli.js';

export interface DemoProcess {
  readonly child: ChildProcess;
  /** routetrace's base URL */
  readonly url: string;
  /** the simulated cluster's base URL */
  readonly simUrl: string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL when still running (cleanup after a failure). */
  kill(): void;
}

export async function startDemo(args: readonly string[]): Promise<DemoProcess> {
  const child = spawn(process.execPath, [BIN, 'demo', '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.resume();
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  let url = '';
  let simUrl = '';
  try {
    await waitFor(() => {
      url = /routetrace\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      simUrl = /simulated cluster\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      return url !== '' && simUrl !== '';
    }, { what: 'the demo to print its addresses', describe: () => out });
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { what: 'ready' });
  } catch (err) {
    kill();
    throw err;
  }
  return {
    child,
    url,
    simUrl,
    kill,
    stop() {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
