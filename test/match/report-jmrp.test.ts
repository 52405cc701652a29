import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();

describe("Outlook.com's junk-mail complaint report (JMRP) is a report, not a problem", () => {
  it('the complained-about message with its passing authentication results answers none', () => {
    const text = [
      'X-HmXmrOriginalRecipient: someone@example.com',
      'X-Reporter-IP: 192.0.2.22',
      'Authentication-Results: example.com; spf=pass (sender IP is 203.0.113.245) smtp.mailfrom=news@example.org; dkim=pass header.d=example.org',
      'X-SID-Result: PASS',
    ].join('\n');
    expect(matcher.match(text).verdict).toBe('none');
  });
});
