// `ehlo match [FILE|DIR|-] [--json | --jsonl]`: the contract in docs/contracts.md.
import type { Command } from 'commander';
import { once } from 'node:events';
import type { MatchResult } from '../match/types.ts';
import { diagnose } from '../headers/diagnose.ts';
import { EXIT, UsageError } from './exit.ts';
import { warmMatcher } from './warm-matcher.ts';
import { isDirectory, listPasteFiles, openStream, readInput, readLines, MAX_INPUT_BYTES, MAX_LINE_BYTES, PASTE_EXTENSIONS, type Line } from './input.ts';

interface MatchOptions {
  json?: boolean;
  jsonl?: boolean;
  answer?: string;
}

export function registerMatch(program: Command): void {
  program
    .command('match')
    .description('match a pasted error to a playbook and say why (no network, no LLM)')
    .argument('[file]', 'file holding the paste, or a folder of pastes; "-" or nothing reads stdin')
    .option('--json', 'print one JSON object (the documented contract)')
    .option('--jsonl', 'read one {"id","text"} JSON object per line and print one result per line, in order')
    .option('--answer <answer>', 'answer the question an ambiguous result asks (its number or label): the result it settles on')
    .addHelpText('after', `
Examples:
  ehlo match ndr.txt
  echo '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found' | ehlo match --json
  ehlo match bounces.jsonl --jsonl > results.jsonl
  ehlo match bounces/ > results.jsonl
  ehlo match imceaex-ndr.txt --answer 1     (answer the telling-apart question it asked)

--jsonl streams: any size of input, one line in memory at a time, one result line per input line
(blank lines are skipped), in order. A line that is not {"id","text"} gets an error line in its place
and a message with its line number on stderr; the run goes on and exits 1 at the end, the count of
bad lines in the last stderr line.

A folder: every ${PASTE_EXTENSIONS.join(' / ')} file in it (and its sub-folders), in path order, one JSON line each
({"path": ..., and the result}); a progress bar on stderr when it is a terminal. .eml files are decoded
from MIME (charsets, quoted-printable, base64, the delivery-status part of a bounce) and .msg files read
as Outlook messages; a binary file that is neither is said to be one (exit 2), never matched.

Exit codes: 0 for any input that could be read (no match is a normal answer), 1 when a --jsonl line
or a file of a folder could not be read or matched, 2 for usage errors.`)
    .action(runMatch);
}

/** The match subcommand's action (main.ts calls it directly for the plain forms, without commander). */
export async function runMatch(file: string | undefined, opts: MatchOptions): Promise<void> {
  if (opts.json && opts.jsonl) throw new UsageError('choose one of --json and --jsonl');
  if (opts.answer !== undefined && opts.jsonl) throw new UsageError('--answer answers the question of one paste; it does not go with --jsonl');
  if (await isDirectory(file)) {
    if (opts.jsonl) throw new UsageError(`${file} is a folder; --jsonl reads one file of lines (drop --jsonl to match each file in the folder)`);
    process.exitCode = await matchFolder(file as string);
    return;
  }
  if (opts.jsonl) {
    process.exitCode = await streamJsonl(await openStream(file));
    return;
  }
  const input = await readInput(file);
  const matcher = await warmMatcher();
  let result = diagnose(matcher, input.text);
  if (opts.answer !== undefined) {
    const { answerResult } = await import('../match/answer.ts');
    const a = answerResult(result, matcher.catalog, opts.answer);
    if (!a.ok) throw new UsageError(`--answer: ${a.reason}`);
    result = a.result;
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const { renderMatch } = await import('./render-match.ts');
    process.stdout.write(`${await renderMatch(input.text, result, matcher.catalog, Math.max(60, Math.min(110, (process.stdout.columns ?? 100) - 1)))}\n`);
  }
  process.exitCode = EXIT.ok;
}

/** A --jsonl line longer than this is followed by a garbage collection (collect.ts). */
const LONG_LINE_BYTES = 1024 * 1024;

/** Writes to stdout, waiting when the pipe is full (so memory stays bounded however slow the reader). */
async function emit(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** The answer for one JSONL line: the result with the input's id, or an error object (and why). */
export function answerLine(line: Line, match: (t: string) => MatchResult): { json: string; error?: string } {
  if (line.text === undefined) {
    const error = `line longer than ${MAX_LINE_BYTES} bytes`;
    return { json: JSON.stringify({ id: null, line: line.number, error }), error };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.text.trim());
  } catch {
    const error = 'not a JSON object';
    return { json: JSON.stringify({ id: null, line: line.number, error }), error };
  }
  const obj = parsed as { id?: unknown; text?: unknown } | null;
  const id = obj && (typeof obj.id === 'string' || typeof obj.id === 'number') ? obj.id : null;
  if (typeof obj !== 'object' || obj === null || typeof obj.text !== 'string') {
    const error = 'expected {"id": "...", "text": "..."}';
    return { json: JSON.stringify({ id, line: line.number, error }), error };
  }
  return { json: JSON.stringify({ id, ...match(obj.text) }) };
}

function isBlank(line: Line): boolean {
  return line.text !== undefined && line.text.trim() === '';
}

/**
 * `--jsonl`: one result line per non-blank input line, in order, streaming. Returns the exit code:
 * 1 when any line was bad (each reported on stderr with its number, the count last), else 0.
 */
export async function streamJsonl(input: AsyncIterable<Buffer | string>, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const matcher = await warmMatcher();
  const match = (t: string) => diagnose(matcher, t);
  // Only batch work needs it (node:vm stays unloaded for one paste).
  const { collectGarbage } = await import('./collect.ts');
  let bad = 0;
  let answered = 0;
  let batch = '';
  for await (const line of readLines(input)) {
    if (isBlank(line)) continue;
    const a = answerLine(line, match);
    answered++;
    // A line of megabytes leaves copies of that size behind: collected now, so memory stays near its steady state.
    if (line.bytes > LONG_LINE_BYTES) collectGarbage();
    if (a.error) {
      bad++;
      err.write(`ehlo: line ${line.number}: ${a.error}\n`);
    }
    batch += `${a.json}\n`;
    if (batch.length >= 64 * 1024) {
      await emit(out, batch);
      batch = '';
    }
  }
  if (batch) await emit(out, batch);
  if (bad) err.write(`ehlo: ${bad} of ${answered} line(s) could not be matched\n`);
  return bad ? EXIT.failed : EXIT.ok;
}

/** A one-line progress bar for a terminal, redrawn at most every 100 ms. */
class Progress {
  private last = 0;
  private readonly stream: NodeJS.WriteStream;
  private readonly total: number;
  private readonly on: boolean;

  constructor(stream: NodeJS.WriteStream, total: number) {
    this.stream = stream;
    this.total = total;
    this.on = stream.isTTY === true && total > 0;
  }

  update(done: number): void {
    if (!this.on) return;
    const now = Date.now();
    if (done < this.total && now - this.last < 100) return;
    this.last = now;
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} files`);
  }

  end(): void {
    if (this.on) this.stream.write('\r\x1b[2K');
  }
}

/** `ehlo match DIR`: one JSON line per paste file, with its path, in path order. Returns the exit code. */
export async function matchFolder(dir: string, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  const files = await listPasteFiles(dir);
  const matcher = await warmMatcher();
  const progress = new Progress(err, files.length);
  let bad = 0;
  for (let i = 0; i < files.length; i++) {
    const path = files[i] as string;
    let json: string;
    try {
      const input = await readInput(path);
      const result = diagnose(matcher, input.text);
      json = JSON.stringify(input.cut ? { path, ...result, cut: { readBytes: MAX_INPUT_BYTES } } : { path, ...result });
    } catch (e) {
      bad++;
      const error = e instanceof Error ? e.message : String(e);
      progress.end();
      err.write(`ehlo: ${path}: ${error}\n`);
      json = JSON.stringify({ path, error });
    }
    await emit(out, `${json}\n`);
    progress.update(i + 1);
  }
  progress.end();
  if (bad) err.write(`ehlo: ${bad} of ${files.length} file(s) could not be read\n`);
  return bad ? EXIT.failed : EXIT.ok;
}
