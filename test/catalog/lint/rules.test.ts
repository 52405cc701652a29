// The other rule families: ids, step links, topics, intents. Each rule finds its problem in an otherwise clean catalog.
import { describe, expect, it } from 'vitest';
import { uniqueIds } from '../../../src/catalog/lint/ids.ts';
import { RULES, defineRule } from '../../../src/catalog/lint/index.ts';
import { distinctEvidence, playbookReached, specificPhrases } from '../../../src/catalog/lint/intents.ts';
import { stepLinks, uniqueStepIds } from '../../../src/catalog/lint/steps.ts';
import { knownTopics, topicsCovered } from '../../../src/catalog/lint/topics.ts';
import { lintCatalog } from '../../../src/catalog/lint.ts';
import { catalogWith, problemsOf, projectFile, replaceOnce } from '../../helpers/catalog.ts';

const OOF = 'playbooks/oof-mailbox-rules-agent-legacyinterop.yaml';
const oof = projectFile(OOF);

describe('lint rules', () => {
  it('have unique names and each runs clean on the project catalog', () => {
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
    // The catalog is read once; each rule then runs on it alone, so a problem names the rule that found it.
    const { catalog, problems } = lintCatalog(catalogWith({}), []);
    expect(problems).toEqual([]);
    const ctx = { catalog, file: (o: object, fallback: string) => catalog.fileOf.get(o) ?? fallback };
    for (const rule of RULES) expect(rule.check(ctx), rule.name).toEqual([]);
  });

  it('a new rule is one entry in the list lintCatalog runs', () => {
    const everyPlaybook = defineRule('test-rule', 'reports each playbook', (ctx) => ctx.catalog.playbooks.slice(0, 2).map((p) => ({ file: ctx.file(p, p.id), field: 'id', message: 'seen' })));
    const { problems } = lintCatalog(catalogWith({}), [...RULES, everyPlaybook]);
    expect(problems.filter((p) => p.message === 'seen')).toHaveLength(2);
  });

  it('unique-step-ids and step-links', () => {
    const twice = replaceOnce(oof, '  - id: check-third-party-agents', '  - id: confirm-queue-error');
    expect(problemsOf(catalogWith({ [OOF]: twice }), [uniqueStepIds])).toEqual([`${OOF} | steps[1].id | step id "confirm-queue-error" is used twice`]);
    const dangling = replaceOnce(oof, '  - id: check-third-party-agents\n', '  - id: check-third-party-agents\n    next: { failed: no-such-step, done: check-third-party-agents }\n');
    expect(problemsOf(catalogWith({ [OOF]: dangling }), [stepLinks]).sort()).toEqual([
      `${OOF} | steps[1].next.done | a step cannot lead to itself`,
      `${OOF} | steps[1].next.failed | "no-such-step" is not a step of this playbook (nor end / escalate)`,
    ]);
  });

  it('unique-ids', () => {
    const copy = 'playbooks/zz-copy.yaml';
    const found = problemsOf(catalogWith({ [copy]: oof }), [uniqueIds]);
    expect(found.some((f) => f.includes('playbook id "oof-mailbox-rules-agent-legacyinterop" is also used by'))).toBe(true);
  });

  it('known-topics and topics-covered', () => {
    const topics = oof.slice(oof.indexOf('topics:'), oof.indexOf('\n', oof.indexOf('topics:')));
    const wrong = replaceOnce(oof, topics, 'topics: [no-such-topic]');
    const root = catalogWith({ [OOF]: wrong });
    expect(problemsOf(root, [knownTopics])).toEqual([`${OOF} | topics[0] | "no-such-topic" is not a topic of TOPICS.md`]);
    expect(problemsOf(root, [topicsCovered]).length).toBeGreaterThan(0);
  });

  it('playbook-reached, distinct-evidence and specific-phrases', () => {
    const intent = 'intents/zz-test.yaml';
    const root = catalogWith({
      [intent]: 'id: zz-test\nplaybook: oof-mailbox-rules-agent-legacyinterop\ntitle: A test intent\nevidence:\n  - { phrase: "relay", weight: 0.5 }\nexamples:\n  - { text: "550 relay not permitted here", source: "test" }\n',
      'intents/zz-twin.yaml': 'id: zz-twin\nplaybook: oof-mailbox-rules-agent-legacyinterop\ntitle: Its twin\nevidence:\n  - { phrase: "relay", weight: 0.3 }\nexamples:\n  - { text: "550 relay not permitted there", source: "test" }\n',
      'playbooks/zz-orphan.yaml': replaceOnce(oof, 'id: oof-mailbox-rules-agent-legacyinterop', 'id: zz-orphan'),
    });
    expect(problemsOf(root, [specificPhrases])).toContain(`${intent} | evidence[0].phrase | a one-word phrase this short (and with no digit, like a code) matches too much; use a longer phrase`);
    expect(problemsOf(root, [distinctEvidence])).toEqual(['intents/zz-twin.yaml | evidence | same evidence as intent "zz-test"; merge them or tell them apart']);
    expect(problemsOf(root, [playbookReached])).toEqual(['playbooks/zz-orphan.yaml | id | no intent leads to this playbook']);
  });
});
