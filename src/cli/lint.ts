// `ehlo lint`: every problem in intents/ and playbooks/, each with its file and field.
import type { Command } from 'commander';
import { formatProblem } from '../catalog/load.ts';
import { lintCatalog } from '../catalog/lint.ts';
import { EXIT } from './exit.ts';

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('validate every intent and playbook file and print every problem with its file and field')
    .option('--json', 'print the problems as a JSON array')
    .option('--root <dir>', 'project folder holding intents/ and playbooks/ (default: this installation)')
    .action((opts: { json?: boolean; root?: string }) => {
      const { problems, stats } = lintCatalog(opts.root);
      if (opts.json) process.stdout.write(`${JSON.stringify({ problems, stats })}\n`);
      else if (problems.length === 0) process.stdout.write(`catalog ok: ${stats.playbooks} playbooks, ${stats.intents} intents, ${stats.topicsCovered}/${stats.topics} topics covered\n`);
      else {
        for (const p of problems) process.stdout.write(`${formatProblem(p)}\n`);
        process.stdout.write(`\n${problems.length} problem(s) in ${stats.playbooks} playbooks and ${stats.intents} intents.\n`);
      }
      process.exitCode = problems.length ? EXIT.failed : EXIT.ok;
    });
}
