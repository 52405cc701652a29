// The `ehlo` command: one commander program, one file per subcommand.
import { Command, CommanderError } from 'commander';
import { registerMatch } from './match.ts';
import { registerLint } from './lint.ts';
import { registerPlaybooks } from './playbooks.ts';
import { registerProbe } from './probe.ts';
import { registerStart } from './start.ts';
import { registerConfig } from './config.ts';
import { registerAudit } from './audit.ts';
import { EXIT, UsageError } from './exit.ts';

export function buildProgram(): Command {
  const program = new Command('ehlo')
    .description('Exchange mail-flow triage: match pasted errors to playbooks, run safe probes, walk through fixes.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerMatch(program);
  registerProbe(program);
  registerPlaybooks(program);
  registerLint(program);
  registerStart(program);
  registerConfig(program);
  registerAudit(program);
  for (const sub of program.commands) sub.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

/** Runs the CLI and returns the process exit code (0 ok, 1 could not run, 2 usage, 3 refused by policy). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
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
