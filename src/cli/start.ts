// `ehlo start` (what `npm start` runs): until the conversation core lands, an interactive matcher on stdin.
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { defaultMatcher } from '../match/index.ts';
import { renderMatch } from './render-match.ts';

/** An empty line ends the paste only if nothing else arrives this soon (pasted NDRs contain empty lines). */
const PASTE_SETTLE_MS = 300;

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('interactive triage in this terminal: paste an error, then an empty line (or Ctrl-D)')
    .action(async () => {
      const matcher = defaultMatcher();
      const tty = Boolean(process.stdin.isTTY);
      const say = (s: string) => process.stdout.write(`${s}\n`);
      if (tty) say('ehlo: paste an error (NDR, queue LastError, SMTP reply, dialog text …), then press Enter on an empty line. Ctrl-D quits.');
      const rl = createInterface({ input: process.stdin, terminal: false });
      let buffer: string[] = [];
      let timer: NodeJS.Timeout | undefined;
      const flush = () => {
        clearTimeout(timer);
        const text = buffer.join('\n').trim();
        buffer = [];
        if (!text) return;
        say(`\n${renderMatch(text, matcher.match(text))}\n`);
        if (tty) say('Paste another error, or Ctrl-D to quit.');
      };
      for await (const line of rl) {
        clearTimeout(timer);
        buffer.push(line);
        if (tty && line.trim() === '') timer = setTimeout(flush, PASTE_SETTLE_MS);
      }
      flush();
    });
}
