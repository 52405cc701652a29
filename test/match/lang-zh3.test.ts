import { describe, expect, it } from 'vitest';
import { readCases } from '../../src/match/evaluate.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { isReportOnly } from '../../src/match/report.ts';
import { extractSignals } from '../../src/match/signals.ts';
import { splitWords } from '../../src/match/words.ts';

const matcher = defaultMatcher();
const cases = readCases(new URL('../fixtures/cases/lang-zh3.jsonl', import.meta.url).pathname);
const report = (text: string) => isReportOnly(extractSignals(text, splitWords(text)), text.toLowerCase());
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

describe('Chinese field pastes, second round (lang-zh3.jsonl)', () => {
  it('has errors and non-errors, each with a source, the zh language and an id of its file', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => c.topic === 'none').length).toBeGreaterThanOrEqual(6);
    expect(cases.every((c) => c.id.startsWith('lang-zh3-') && c.source.startsWith('http') && c.lang === 'zh')).toBe(true);
  });

  it('names the expected topic first on most of its errors', () => {
    const errors = cases.filter((c) => c.topic !== 'none');
    const right = errors.filter((c) => [c.topic, ...(c.alt_topics ?? [])].includes(topTopic(c.text) ?? 'none'));
    expect(right.length / errors.length).toBeGreaterThanOrEqual(0.7);
  });
});

describe('a Chinese automatic reply in Traditional characters (report.ts)', () => {
  it('is read folded: 自動回覆 counts like 自动回复, with 休假中 two marks', () => {
    expect(report('自動回覆：我目前休假中，將於下週一回到辦公室。')).toBe(true);
    expect(report('自动答复：我目前休假中，下周一回来。')).toBe(true);
  });

  it('needs two marks, and no word of trouble (read in English)', () => {
    expect(report('自動回覆設定說明')).toBe(false);
    expect(report('自動回覆：我目前休假中。Delivery has failed to these recipients or groups.')).toBe(false);
  });
});

describe('intents added for the first round\'s leads', () => {
  it('PRX4, the 5.2.121/5.2.122 receiving limit and Outlook 2016 on Exchange 2007 have their topics', () => {
    expect(topTopic('451 4.7.0 Temporary server error. Please try again later. PRX4 [XX1PR01CA0001.prod.outlook.com]')).toBe('smtp-auth-disabled-tenant');
    expect(topTopic('Remote Server returned 550 5.2.122 The recipient has exceeded their limit for the number of messages they can receive per hour.')).toBe('mailbox-delivery-throttled');
    expect(topTopic('Outlook 2016 is not compatible with Exchange 2007. The resource that you are trying to use is located on an unsupported version of Microsoft Exchange.')).toBe('outlook-connectivity');
  });
});
