/**
 * main: dispatches `routetrace <command> [flags]`. Returns the exit code: 0 ok, 1 failure at run time,
 * 2 bad usage (one line on stderr). Unexpected errors print one line (the stack with ROUTETRACE_DEBUG=1).
 */
import { commandHelp, parseCommandArgs, UsageError } from './Command.js';
import { commands } from './commands.js';

export function topLevelHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'Usage: routetrace <command> [flags]',
    '',
    'Keeps a Kubernetes cluster\'s networking state as history and answers where traffic ends up.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run `routetrace <command> --help` for the flags of one command.',
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topLevelHelp());
    return name === undefined ? 2 : 0;
  }
  const cmd = commands.find((c) => c.name === name);
  try {
    if (!cmd) throw new UsageError(`unknown command '${name}' (run routetrace --help)`);
    const { options, positionals } = parseCommandArgs(cmd, rest);
    if (options['help']) {
      process.stdout.write(commandHelp(cmd));
      return 0;
    }
    return await cmd.run(options, positionals);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`routetrace: ${err.message}\n`);
      return 2;
    }
    const e = err as Error;
    process.stderr.write(`routetrace: ${process.env['ROUTETRACE_DEBUG'] ? e.stack : (e?.message ?? String(err))}\n`);
    return 1;
  }
}
