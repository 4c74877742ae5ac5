/**
 * serveProcess: runs the compiled `routetrace serve` (or another long-running command, e.g. `api`) as a
 * child process (as a user or Kubernetes runs it) and follows its JSON log lines on stderr: the listen URL
 * from `<command>.start`, waiting for an event, the exit code. `npm test` builds first; when running one file by hand, build first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from '../helpers/runCli.js';

export interface LogLine {
  readonly event: string;
  readonly level: string;
  readonly [field: string]: unknown;
}

export class ServeProcess {
  readonly lines: LogLine[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}, private readonly command = 'serve') {
    this.child = spawn(process.execPath, [BIN, command, ...args], {
      env: { ...process.env, KUBECONFIG: '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let partial = '';
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
      partial += d;
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const p of parts) {
        try {
          this.lines.push(JSON.parse(p) as LogLine);
        } catch {
          // not a log line (e.g. the one-line error of the CLI)
        }
      }
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the first log line of `event` (matching `where`), failing if the process exits first. */
  async waitForLog(event: string, timeoutMs = 45_000, where: (l: LogLine) => boolean = () => true): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    void this.exited.then(() => (done = true));
    for (;;) {
      const hit = this.lines.find((l) => l.event === event && where(l));
      if (hit) return hit;
      if (done) throw new Error(`${this.command} exited before logging ${event}; stderr:\n${this.stderr.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for log ${event}; stderr:\n${this.stderr.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async url(): Promise<string> {
    return String((await this.waitForLog(`${this.command}.start`))['listen']);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}
