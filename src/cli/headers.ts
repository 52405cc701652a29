// `ehlo headers [FILE|-] [--json]`: message header analysis (docs/contracts.md): hops with their
// delays, authentication, the anti-spam verdicts decoded, findings, and the playbook they lead to.
import type { Command } from 'commander';
import { loadCatalog } from '../catalog/load.ts';
import { analyzeHeaders } from '../headers/report.ts';
import { renderHeaderReport } from '../headers/render.ts';
import { EXIT } from './exit.ts';
import { readInput } from './input.ts';

export function registerHeaders(program: Command): void {
  program
    .command('headers')
    .description('analyse a pasted message header block: hops and delays, SPF/DKIM/DMARC/compauth, anti-spam verdicts')
    .argument('[file]', 'file holding the headers (.eml or a paste); "-" or nothing reads stdin')
    .option('--json', 'print one JSON object (hops, authentication, antispam, findings, verdict, matches)')
    .addHelpText('after', `
Examples:
  ehlo headers message.eml
  pbpaste | ehlo headers --json

Exit codes: 0 for any input that could be read (clean headers are a normal answer), 2 for usage errors.`)
    .action(async (file: string | undefined, opts: { json?: boolean }) => {
      const input = await readInput(file);
      const report = analyzeHeaders(input.text, loadCatalog());
      process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${renderHeaderReport(report)}\n`);
      process.exitCode = EXIT.ok;
    });
}
