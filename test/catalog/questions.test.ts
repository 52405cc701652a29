import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, PROJECT_ROOT } from '../../src/catalog/load.ts';
import { lintCatalog } from '../../src/catalog/lint.ts';
import { lintQuestions, questionFor, readQuestions, settle } from '../../src/catalog/questions.ts';

const catalog = loadCatalog();
const { questions, problems } = readQuestions();

describe('telling-apart questions (questions/*.yaml)', () => {
  it('every file is valid and passes the cross-checks', () => {
    expect(problems).toEqual([]);
    expect(lintQuestions(catalog, questions)).toEqual([]);
    expect(questions.length).toBeGreaterThanOrEqual(6);
  });

  it('asks a person-answerable question for the IMCEAEX / soft-deleted mail user pair, in either order', () => {
    const q = questionFor(questions, 'exrecipnotfound-soft-deleted-mail-user', 'imceaex-stale-legacydn-x500');
    expect(q).toBeDefined();
    expect(q?.ask).not.toMatch(/phrase|evidence|smtpsendfailedexception/i);
    expect(q?.answers.filter((a) => a.settles).length).toBe(2);
  });

  it('the answer settles it: the chosen playbook first, the other behind every other candidate', () => {
    const q = questionFor(questions, 'imceaex-stale-legacydn-x500', 'exrecipnotfound-soft-deleted-mail-user');
    if (!q) throw new Error('question missing');
    const ranked = [
      { playbook: 'imceaex-stale-legacydn-x500', score: 0.87 },
      { playbook: 'resolver-recipient-not-found', score: 0.4 },
    ];
    const yes = q.answers.findIndex((a) => a.settles === 'exrecipnotfound-soft-deleted-mail-user');
    const after = settle(ranked, q, yes, (playbook, score) => ({ playbook, score }));
    expect(after.map((r) => r.playbook)).toEqual(['exrecipnotfound-soft-deleted-mail-user', 'resolver-recipient-not-found', 'imceaex-stale-legacydn-x500']);
    expect(after[0]?.score).toBe(0.87);
    expect(after[2]?.score).toBeLessThan(after[1]?.score ?? 0);

    const no = q.answers.findIndex((a) => a.settles === 'imceaex-stale-legacydn-x500');
    expect(settle(ranked, q, no, (playbook, score) => ({ playbook, score }))[0]?.playbook).toBe('imceaex-stale-legacydn-x500');
    const dunno = q.answers.findIndex((a) => !a.settles);
    expect(settle(ranked, q, dunno, (playbook, score) => ({ playbook, score }))).toEqual(ranked);
  });

  it('lint reports a question naming an unknown playbook and an answer that settles outside the pair', () => {
    const root = mkdtempSync(join(tmpdir(), 'ehlo-q-'));
    for (const d of ['intents', 'playbooks']) cpSync(join(PROJECT_ROOT, d), join(root, d), { recursive: true });
    mkdirSync(join(root, 'questions'));
    writeFileSync(join(root, 'questions', 'bad-pair.yaml'), [
      'id: bad-pair',
      'between: [imceaex-stale-legacydn-x500, no-such-playbook]',
      'ask: Is this a question long enough to pass the schema?',
      'howToTell: Look somewhere useful for the answer.',
      'answers:',
      '  - { label: Yes, settles: imceaex-stale-legacydn-x500 }',
      '  - { label: No, settles: smtp-connection-failed }',
      'references: [{ title: Something, url: "https://example.com/x" }]',
    ].join('\n'));
    const out = lintCatalog(root).problems.filter((p) => p.file.startsWith('questions/'));
    expect(out.map((p) => p.field)).toEqual(expect.arrayContaining(['between[1]', 'answers[1].settles', 'answers']));
  });
});
