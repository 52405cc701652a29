// The `ehlo` command: one commander program, one file per subcommand. Only the subcommand being run
// is imported (`ehlo match` never loads the probes, the conversation core, the store or the logger);
// the others are listed in help from the table below. A new subcommand is one row of SUBCOMMANDS.
import type { Command } from 'commander';
import { EXIT, UsageError } from './exit.ts';

// commander is loaded when a program is built (the plain `ehlo match FILE` forms never build one).
let commander: typeof import('commander') | undefined;

export const VERSION = '0.1.0';

type Register = (program: Command) => void;

export interface Subcommand {
  name: string;
  /** Its arguments as help lists them, e.g. "[file]". */
  args: string;
  /** The same description the subcommand registers (a test keeps them equal). */
  description: string;
  load: () => Promise<Register>;
}

export const SUBCOMMANDS: readonly Subcommand[] = [
  { name: 'match', args: '[file]', description: 'match a pasted error to a playbook and say why (no network, no LLM)', load: async () => (await import('./match.ts')).registerMatch },
  { name: 'probe', args: '<kind> <target>', description: 'run one safe, read-only network check (exit 0 ran, 1 could not run, 2 usage, 3 refused by policy)', load: async () => (await import('./probe.ts')).registerProbe },
  { name: 'playbooks', args: '[words...]', description: 'list the playbook catalog grouped by area, optionally only those mentioning WORDS', load: async () => (await import('./playbooks.ts')).registerPlaybooks },
  { name: 'lint', args: '', description: 'validate every intent and playbook file and print every problem with its file and field', load: async () => (await import('./lint.ts')).registerLint },
  { name: 'start', args: '', description: 'run ehlo: Slack and/or Teams on one HTTP server when configured (PORT), else the console in this terminal', load: async () => (await import('./start.ts')).registerStart },
  { name: 'runner', args: '', description: "run a probe runner for one network zone: take its probe jobs from the PostgreSQL queue, run them through this runner's own probe policy", load: async () => (await import('./runner.ts')).registerRunner },
  { name: 'headers', args: '[file]', description: 'analyse a pasted message header block: hops and delays, SPF/DKIM/DMARC/compauth, anti-spam verdicts', load: async () => (await import('./headers.ts')).registerHeaders },
  { name: 'config', args: '', description: 'configuration: ehlo.config.yaml (or --config / EHLO_CONFIG) and environment variables', load: async () => (await import('./config.ts')).registerConfig },
  { name: 'audit', args: '', description: 'the append-only audit log: export it, verify its hash chain', load: async () => (await import('./audit.ts')).registerAudit },
];

/** The subcommand argv names: the first word that is no option, or the one after `help`. */
function wanted(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * The program with the named subcommand registered in full (imported now) and every other one as a
 * stub that only shows in help. Without a name (help, version), nothing is imported.
 */
export async function buildProgram(name?: string): Promise<Command> {
  commander ??= await import('commander');
  const program = new commander.Command('ehlo')
    .description('Exchange mail-flow triage: match pasted errors to playbooks, run safe probes, walk through fixes.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const sub of SUBCOMMANDS) {
    if (sub.name === name) (await sub.load())(program);
    else program.command(sub.args ? `${sub.name} ${sub.args}` : sub.name).description(sub.description);
  }
  for (const sub of program.commands) sub.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

/**
 * `match` with at most one path (not starting with '-') and at most one of --json / --jsonl, each once:
 * the forms commander would parse to exactly these arguments, run without building the program.
 */
export function plainMatch(argv: readonly string[]): { file: string | undefined; opts: { json?: boolean; jsonl?: boolean } } | undefined {
  if (argv[0] !== 'match' || argv.length > 4) return undefined;
  let file: string | undefined;
  const opts: { json?: boolean; jsonl?: boolean } = {};
  for (const a of argv.slice(1)) {
    if (a === '--json' && !opts.json) opts.json = true;
    else if (a === '--jsonl' && !opts.jsonl) opts.jsonl = true;
    else if (!a.startsWith('-') && a !== '' && file === undefined) file = a;
    else return undefined;
  }
  return { file, opts };
}

/** Runs the CLI and returns the process exit code (0 ok, 1 could not run, 2 usage, 3 refused by policy). */
export async function main(argv: string[]): Promise<number> {
  try {
    const plain = plainMatch(argv);
    if (plain) await (await import('./match.ts')).runMatch(plain.file, plain.opts);
    else await (await buildProgram(wanted(argv))).parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (commander && err instanceof commander.CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`ehlo: ${err.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`ehlo: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failed;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
