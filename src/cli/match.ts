// `ehlo match [FILE|-] [--json | --jsonl]`: the contract in DESIGN.md section 4.
import type { Command } from 'commander';
import { defaultMatcher } from '../match/index.ts';
import { headerMatchResult } from '../headers/report.ts';
import { EXIT, UsageError } from './exit.ts';
import { readInput } from './input.ts';
import { renderMatch } from './render-match.ts';

interface MatchOptions {
  json?: boolean;
  jsonl?: boolean;
}

export function registerMatch(program: Command): void {
  program
    .command('match')
    .description('match a pasted error to a playbook and say why (no network, no LLM)')
    .argument('[file]', 'file holding the paste; "-" or nothing reads stdin')
    .option('--json', 'print one JSON object (the documented contract)')
    .option('--jsonl', 'read one {"id","text"} JSON object per line and print one result per line, in order')
    .addHelpText('after', `
Examples:
  ehlo match ndr.txt
  echo '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found' | ehlo match --json
  ehlo match bounces.jsonl --jsonl > results.jsonl

Exit codes: 0 for any input that could be read (no match is a normal answer), 2 for usage errors.`)
    .action(async (file: string | undefined, opts: MatchOptions) => {
      if (opts.json && opts.jsonl) throw new UsageError('choose one of --json and --jsonl');
      const input = await readInput(file);
      const matcher = defaultMatcher();
      const match = (t: string) => headerMatchResult(t, matcher.match(t), matcher.catalog);
      if (opts.jsonl) {
        process.stdout.write(matchJsonl(input.text, match));
        return;
      }
      const result = match(input.text);
      process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : `${renderMatch(input.text, result)}\n`);
      process.exitCode = EXIT.ok;
    });
}

/** One result line per input line; a line that is not {"id","text"} gets an error line, in place. */
export function matchJsonl(text: string, match: (t: string) => object): string {
  const out: string[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      out.push(JSON.stringify({ id: null, line: i + 1, error: 'not a JSON object' }));
      return;
    }
    const obj = parsed as { id?: unknown; text?: unknown };
    const id = typeof obj.id === 'string' || typeof obj.id === 'number' ? obj.id : null;
    if (typeof obj !== 'object' || obj === null || typeof obj.text !== 'string') {
      out.push(JSON.stringify({ id, line: i + 1, error: 'expected {"id": "...", "text": "..."}' }));
      return;
    }
    out.push(JSON.stringify({ id, ...match(obj.text) }));
  });
  return out.length ? `${out.join('\n')}\n` : '';
}
