// Versions in ranking: a playbook that does not apply to the version the paste states loses a little
// of its score (never when codes put it there), and the diagnosis says "Does not apply to …".
import { describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/catalog/load.ts';
import type { Playbook } from '../../src/catalog/schema.ts';
import { diagnosisCard } from '../../src/conversation/cards/diagnosis.ts';
import { defaultMatcher, Matcher } from '../../src/match/index.ts';
import { replyText } from '../conversation/helpers.ts';
import { runCli } from '../helpers/run-cli.ts';

const PROMPTS = 'outlook-anywhere-credential-prompts';

/** The catalog plus a copy of one playbook (same wording, same intents) written for Exchange Online only. */
function withOnlineTwin(): Catalog {
  const base = loadCatalog();
  const original = base.playbookById.get(PROMPTS) as Playbook;
  const twin: Playbook = { ...structuredClone(original), id: 'zz-online-twin', appliesTo: { versions: ['Online'] } };
  const intents = [...base.intents, ...base.intents.filter((i) => i.playbook === PROMPTS).map((i) => ({ ...structuredClone(i), id: `${i.id}-twin`, playbook: twin.id }))];
  const playbooks = [...base.playbooks, twin];
  return { root: base.root, intents, playbooks, playbookById: new Map(playbooks.map((p) => [p.id, p])), fileOf: new Map(), questions: base.questions ?? [] };
}

describe('a stated version re-ranks playbooks by their appliesTo', () => {
  const twin = new Matcher(withOnlineTwin());
  const paste = (version: string) => `Outlook keeps prompting for credentials all day long, ${version}`;

  it('two playbooks alike in everything but version: the one that applies goes first', () => {
    expect(twin.match(paste('no idea why')).matches.slice(0, 2).map((m) => m.playbook)).toEqual([PROMPTS, 'zz-online-twin']);
    const online = twin.match(paste('we are on Exchange Online'));
    expect(online.matches.slice(0, 2).map((m) => [m.playbook, m.applies])).toEqual([['zz-online-twin', true], [PROMPTS, false]]);
    expect(online.versions).toEqual([{ version: 'Online', evidence: 'Exchange Online' }]);
    const onPrem = twin.match(paste('on Exchange Server 2016 CU23'));
    expect(onPrem.matches[0]?.playbook).toBe(PROMPTS);
  });

  it('is mild: a lone candidate that does not apply keeps most of its score, and nothing is said when no version is stated', () => {
    const m = defaultMatcher();
    const plain = m.match(paste('no idea why')).matches[0];
    const online = m.match(paste('we are on Exchange Online')).matches[0];
    expect(plain?.applies).toBeUndefined();
    expect(online?.playbook).toBe(PROMPTS);
    expect(online?.applies).toBe(false);
    expect(online?.score).toBeGreaterThan((plain?.score ?? 0) * 0.8);
    expect(online?.score).toBeLessThan(plain?.score ?? 0);
  });

  it('takes the versions a thread stated before when the paste states none, marked as such', () => {
    const m = defaultMatcher();
    const r = m.match(paste('no idea why'), { versions: [{ version: 'Online', evidence: 'Exchange Online' }] });
    expect(r.versions).toEqual([{ version: 'Online', evidence: 'Exchange Online', thread: true }]);
    expect(r.matches[0]?.applies).toBe(false);
    const own = m.match(paste('on Exchange 2016'), { versions: [{ version: 'Online', evidence: 'Exchange Online' }] });
    expect(own.versions).toEqual([{ version: '2016', evidence: 'Exchange 2016' }]);
  });

  it('never overrides a code match: a coded candidate keeps its score', () => {
    const m = defaultMatcher();
    const coded = '452 4.3.1 Insufficient system resources (UsedDiskSpace[C:\\Program Files\\Microsoft\\Exchange Server\\V15\\TransportRoles\\data\\Queue])';
    const plain = m.match(coded).matches[0];
    expect(plain?.playbook).toBe('transport-back-pressure');
    const online = m.match(`${coded}\nThis is Exchange Online.`).matches[0];
    expect(online?.playbook).toBe(plain?.playbook);
    expect(online?.score).toBeCloseTo(plain?.score ?? 0, 2);
  });

  it('the diagnosis card says the best playbook does not apply to the stated version', () => {
    const m = defaultMatcher();
    const text = paste('we are on Exchange Online');
    const r = m.match(text);
    const card = replyText(diagnosisCard('t', text, r, m.catalog));
    expect(card).toMatch(/Does not apply to Exchange Online \(the version the paste states\): this playbook is written for Exchange 2007, Exchange 2010/);
    const fits = m.match(paste('on Exchange 2016'));
    expect(replyText(diagnosisCard('t', 'x', fits, m.catalog))).not.toMatch(/Does not apply/);
  });
});

describe('ehlo match says when the best playbook does not apply', () => {
  it('prints the note for people and the versions and applies fields in --json', async () => {
    const paste = 'Outlook keeps prompting for credentials all day long, we are on Exchange Online';
    const human = await runCli(['match'], paste);
    expect(human.stdout.replace(/\s+/g, ' ')).toMatch(/Does not apply to Exchange Online \(the version the paste states\)/);
    const json = JSON.parse((await runCli(['match', '--json'], paste)).stdout);
    expect(json.versions).toEqual([{ version: 'Online', evidence: 'Exchange Online' }]);
    expect(json.matches[0].applies).toBe(false);
  });
});
