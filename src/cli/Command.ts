/**
 * Command: the shape of one `routetrace` subcommand and the parser every subcommand shares.
 *
 * A subcommand declares its flags once (name, type, help text, default, value check); the same table
 * drives parsing, `--help` output and error messages. Parsing never prints: it throws UsageError, which
 * main turns into one line on stderr and exit code 2. `run` returns the process exit code.
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface OptionSpec {
  /** string: takes a value; boolean: a switch. */
  readonly type: 'string' | 'boolean';
  readonly description: string;
  /** Value placeholder for help output, e.g. FILE or N. */
  readonly valueName?: string;
  readonly multiple?: boolean;
  readonly short?: string;
  /** Shown in help; applied by the command itself (so "unset" stays distinguishable). */
  readonly defaultText?: string;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

export type ParsedOptions = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Extra help text printed after the flag table. */
  readonly details?: string;
  readonly options: OptionTable;
  /** Positional arguments allowed (default none). */
  readonly positionals?: { readonly name: string; readonly min: number; readonly max: number };
  run(options: ParsedOptions, positionals: string[]): Promise<number>;
}

/** Parses argv for one command; throws UsageError on unknown flags or missing values. */
export function parseCommandArgs(cmd: Command, argv: string[]): { options: ParsedOptions; positionals: string[] } {
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(cmd.options)) {
    config[name] = { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) };
  }
  // A value starting with '-' and a digit (a relative time such as -15m) belongs to the string flag before
  // it; node:util's parseArgs would reject it as ambiguous, so it is joined as --flag=value.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && config[a.slice(2)]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else {
      args.push(a);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: config, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${cmd.name}: ${oneLine((err as Error).message)}`);
  }
  const pos = cmd.positionals ?? { name: '', min: 0, max: 0 };
  if (!parsed.values['help']) {
    if (parsed.positionals.length > pos.max) {
      throw new UsageError(`${cmd.name}: unexpected argument '${parsed.positionals[pos.max]}'`);
    }
    if (parsed.positionals.length < pos.min) {
      throw new UsageError(`${cmd.name}: missing ${pos.name}`);
    }
  }
  return { options: parsed.values as ParsedOptions, positionals: parsed.positionals };
}

function oneLine(message: string): string {
  // node:util's messages mention "To specify a positional argument..." on a second sentence; keep the first.
  return message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
}

/** Help text for one command, generated from its option table. */
export function commandHelp(cmd: Command): string {
  const lines = [`Usage: routetrace ${cmd.name} [flags]${cmd.positionals ? ` ${cmd.positionals.name}` : ''}`, '', cmd.summary, '', 'Flags:'];
  const rows: [string, string][] = Object.entries(cmd.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    const extra = [spec.multiple ? '(repeatable)' : '', spec.defaultText ? `(default ${spec.defaultText})` : ''].filter(Boolean).join(' ');
    return [flag, `${spec.description}${extra ? ` ${extra}` : ''}`];
  });
  rows.push(['-h, --help', 'Show this help']);
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}${text}`);
  if (cmd.details) lines.push('', cmd.details.trimEnd());
  return lines.join('\n') + '\n';
}
