// Telling-apart questions in the matcher and `ehlo match --answer`: the IMCEAEX NDR of the soft-deleted
// mail user seed (shared/seeds/002) leaves the pair undecided and asks the question written in
// questions/imceaex-or-soft-deleted-mail-user.yaml; each answer settles on its playbook.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { answerResult } from '../../src/match/answer.ts';
import { runCli } from '../helpers/run-cli.ts';

const matcher = defaultMatcher();
const SOFT = 'exrecipnotfound-soft-deleted-mail-user';
const X500 = 'imceaex-stale-legacydn-x500';

function seedCase(id: string): string {
  const line = readFileSync(new URL('../fixtures/cases/seeds.jsonl', import.meta.url), 'utf8').split('\n').find((l) => l.includes(`"id": "${id}"`));
  if (!line) throw new Error(`no seed case ${id}`);
  return (JSON.parse(line) as { text: string }).text;
}
const NDR = seedCase('seed002-ndr-exrecipnotfound-soft-deleted');

describe('a pair the paste cannot tell apart', () => {
  it('the soft-deleted mail user seed NDR comes back ambiguous between the two, with the written question', () => {
    const r = matcher.match(NDR);
    expect(r.verdict).toBe('ambiguous');
    expect(r.matches.slice(0, 2).map((m) => m.playbook).sort()).toEqual([SOFT, X500].sort());
    expect(r.questionId).toBe('imceaex-or-soft-deleted-mail-user');
    expect(r.question).toMatch(/^Was the recipient's user account deleted/);
    expect(r.question).not.toMatch(/phrase|evidence/i);
    expect(r.answers?.map((a) => a.settles)).toEqual([SOFT, X500, undefined]);
    // The lifted playbook says which shared evidence put it there.
    const lifted = r.matches.find((m) => m.playbook === SOFT);
    expect(lifted?.why.some((w) => /IMCEAEX.*fits both/.test(w.evidence))).toBe(true);
  });

  it('each answer settles it: its playbook first with verdict match, the other last', () => {
    const r = matcher.match(NDR);
    const yes = answerResult(r, matcher.catalog, '1');
    const no = answerResult(r, matcher.catalog, 'No');
    if (!yes.ok || !no.ok) throw new Error('answers refused');
    expect(yes.result.verdict).toBe('match');
    expect(yes.result.matches[0]?.playbook).toBe(SOFT);
    expect(yes.result.matches.at(-1)?.playbook).toBe(X500);
    expect(yes.result.question).toBeUndefined();
    expect(no.result.matches[0]?.playbook).toBe(X500);
    expect(no.result.matches.at(-1)?.playbook).toBe(SOFT);
    const dunno = answerResult(r, matcher.catalog, '3');
    expect(dunno.ok && dunno.result.verdict).toBe('ambiguous');
    expect(answerResult(r, matcher.catalog, '9')).toMatchObject({ ok: false });
  });

  it('asks nothing when the paste already decides it (the deleted user named, or an X500 proxy)', () => {
    const deleted = matcher.match(`${NDR}\nThe user was soft deleted after we removed it from AD; it is in the recycle bin.`);
    expect(deleted.verdict).toBe('match');
    expect(deleted.matches[0]?.playbook).toBe(SOFT);
    const x500 = matcher.match(`${NDR}\nThe mailbox was migrated last week; we have not added the old X500 address yet.`);
    expect(x500.verdict).toBe('match');
    expect(x500.matches[0]?.playbook).toBe(X500);
    expect(answerResult(deleted, matcher.catalog, '1')).toMatchObject({ ok: false });
  });
});

describe('ehlo match --answer', () => {
  it('prints the ranking the answer settles on, and the question with numbered answers before it', async () => {
    const asked = await runCli(['match'], NDR);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(/Two playbooks fit almost equally/);
    expect(asked.stdout).toMatch(/--answer N[\s\S]*1 {2}Yes, the account was deleted/);
    const r = await runCli(['match', '--json', '--answer', '1'], NDR);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe('match');
    expect(out.matches[0].playbook).toBe(SOFT);
    const human = await runCli(['match', '--answer', '2'], NDR);
    expect(human.stdout).toMatch(/Diagnosis: IMCEAEX NDR/);
  });

  it('refuses an answer for a paste that asks nothing, and with --jsonl (exit 2)', async () => {
    const none = await runCli(['match', '--answer', '1'], '550 5.7.1 Unable to relay');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/asks no question/);
    const jsonl = await runCli(['match', '--jsonl', '--answer', '1'], '{"id":"a","text":"x"}');
    expect(jsonl.code).toBe(2);
  });
});
