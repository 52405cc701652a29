// In the console: a walkthrough skips the steps written for another Exchange version than the paste
// states, saying why; and the proof of a fix no check can see is asked at the end, asked again when the
// console starts after it went unanswered, and a "no" leaves the walkthrough unverified with the reason.
// The pastes are real seed cases (test/fixtures/cases/seeds.jsonl); the first is prefixed with the
// environment its source names (Outlook 2010 against Exchange 2010).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_SETTINGS } from '../../../src/config.ts';
import { ConsoleDriver } from './driver.ts';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ehlo-versions-'));
  env = {
    ...Object.fromEntries(ENV_SETTINGS.map((e) => [e.name, ''])),
    EHLO_SQLITE_PATH: join(dir, 'ehlo.sqlite'),
    EHLO_LOG_FILE: join(dir, 'ehlo.log'),
    EHLO_USER: 'Alice',
    EHLO_CONFIG: '',
    NO_COLOR: '1',
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function seedPaste(id: string): string {
  const line = readFileSync(new URL('../../fixtures/cases/seeds.jsonl', import.meta.url), 'utf8').split('\n').find((l) => l.includes(`"id": "${id}"`));
  if (!line) throw new Error(`no seed case ${id}`);
  return (JSON.parse(line) as { text: string }).text;
}

const STEP = /━━ Step \d+ of \d+:[\s\S]*?\[7\] Stop\n/;
const flat = (s: string): string => s.replace(/\s+/g, ' ');

describe('the console and Exchange versions, and an unanswered proof', () => {
  it('skips the Exchange 2007 update steps for an Exchange 2010 paste, and says why', async () => {
    const c = new ConsoleDriver(['--thread', 'v2010'], env, dir);
    try {
      await c.waitFor(/Paste an error/);
      c.write(`Outlook 2010 against Exchange 2010, on a terminal server.\n${seedPaste('qa-130517-oof-settings-cannot-display')}\n\n`);
      await c.waitFor(/\[1\] Start walkthrough.*\n/);
      const started = await c.send('1', STEP);
      expect(flat(started)).toContain('The paste says Exchange 2010: steps written only for other versions are skipped, and each skip says why.');
      expect(started).toMatch(/━━ Step 1 of 12: Try the same mailbox in Outlook on the web/);
      const next = flat(await c.send('1', STEP));
      expect(next).toContain('– “Check for Outlook 2013 with KB2837618 against Exchange 2007” skipped by Alice: this step is for Exchange 2007 only; the paste says Exchange 2010 (“Exchange 2010”).');
      expect(next).toContain('– “Install the Outlook 2013 fix KB2850061” skipped by Alice: this step is for Exchange 2007 only');
      expect(next).toMatch(/━━ Step 4 of 12: Run Test E-mail AutoConfiguration on the client/);
    } finally {
      await c.close();
    }
  }, 30_000);

  it('keeps them for an Exchange 2007 paste; the proof asked at the end is asked again after a restart, and "no" leaves it unverified', async () => {
    const first = new ConsoleDriver(['--thread', 'v2007'], env, dir);
    try {
      await first.waitFor(/Paste an error/);
      first.write(`${seedPaste('seed000-outlook2013-exchange2007-oof')}\n\n`);
      await first.waitFor(/\[1\] Start walkthrough.*\n/);
      await first.send('1', STEP);
      const build = await first.send('1', STEP);
      expect(build).toMatch(/━━ Step 2 of 12: Check for Outlook 2013 with KB2837618 against Exchange 2007/);
      expect(flat(build)).toContain('Only for Exchange 2007: skip it on another version.');
      // KB2837618 without KB2850061: install the fix (a change: confirm, then done), which ends the walkthrough.
      await first.send('2', /━━ Step 3 of 12: Install the Outlook 2013 fix KB2850061[\s\S]*?\[7\] Stop\n/);
      await first.send('1', /\[y\/N\]\n/);
      await first.send('y', /Confirmed by Alice[\s\S]*?\[7\] Stop\n/);
      const proof = flat(await first.send('1', /━━ Proof of the fix: [\s\S]*?\[3\] Cannot tell\n/));
      expect(proof).toContain('Proof of the fix: Install the Outlook 2013 fix KB2850061');
      expect(proof).toContain('On the PC that failed, restart Outlook and open File > Automatic Replies.');
    } finally {
      expect(await first.close()).toBe(0);
    }
    // Unanswered: the next start asks again.
    const second = new ConsoleDriver(['--thread', 'v2007'], env, dir);
    try {
      await second.waitFor(/━━ Proof of the fix: Install the Outlook 2013 fix KB2850061[\s\S]*?\[3\] Cannot tell\n/);
      second.write('note the dialog still says the server is unavailable\n');
      await second.waitFor(/Note added by Alice/);
      const end = flat(await second.send('2', /Answer +[^\n]*\n/));
      expect(end).toContain('Alice says the problem is still there.');
      expect(end).toMatch(/Walkthrough finished, not verified: /);
      expect(end).toMatch(/Outcome unverified /);
      expect(end).toContain('Reason: Alice still sees the problem (the proof was: the Automatic Replies dialog opens in Outlook on the affected PC and a change to it saves)');
      expect(end).toContain('Answer not confirmed: the problem is still there — Alice at');
      expect(end).not.toContain('Proved by');
      // The timeline reads the answer as what the person said.
      expect(flat(await second.send('timeline', /still sees the problem[^\n]*\n(?:[^\n]*\n)?/))).toContain('Alice still sees the problem after “Install the Outlook 2013 fix KB2850061”.');
    } finally {
      await second.close();
    }
  }, 40_000);
});
