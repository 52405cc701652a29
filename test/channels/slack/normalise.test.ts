// Slack's text back to the paste: tokens unwrapped, entities decoded, fences dropped, rich_text read;
// linear on hostile input.
import { describe, expect, it } from 'vitest';
import { messageText, normaliseSlackText, richTextOf, unwrapSlackText, withoutMention } from '../../../src/channels/slack/normalise.ts';

describe('normaliseSlackText', () => {
  it('unwraps the tokens Slack makes and decodes its entities', () => {
    expect(unwrapSlackText('550 5.1.1 &lt;<mailto:neko@libsisimai.org|neko@libsisimai.org>&gt;: Recipient address rejected')).toBe('550 5.1.1 <neko@libsisimai.org>: Recipient address rejected');
    expect(unwrapSlackText('Server at <http://libsisimai.org|libsisimai.org> (25.152.252.27)')).toBe('Server at libsisimai.org (25.152.252.27)');
    expect(unwrapSlackText('see <https://learn.microsoft.com/x?a=1&amp;b=2>')).toBe('see https://learn.microsoft.com/x?a=1&b=2');
    expect(unwrapSlackText('<#C0123|mail-flow> <#C0999> <@U0ALICE> <@U0BOB|bob> <!here> <!channel> <!subteam^S1|@ops> <!date^1392734382^{date}|Feb 18>')).toBe('#mail-flow #C0999 @U0ALICE @bob @here @channel @ops Feb 18');
    expect(unwrapSlackText('a &amp;lt; b &amp;amp; c')).toBe('a &lt; b &amp; c');
    expect(unwrapSlackText('x < y and <not a token\n> z')).toBe('x < y and <not a token\n> z');
  });

  it('reads code fences as text', () => {
    expect(normaliseSlackText('```451 4.4.0 DNS query failed```')).toBe('451 4.4.0 DNS query failed');
    expect(normaliseSlackText('look:\n```\n550 5.7.1 &lt;x&gt;\n```\nthanks')).toBe('look:\n\n\n550 5.7.1 <x>\n\n\nthanks');
  });

  it('removes the mention of ehlo itself', () => {
    expect(withoutMention('<@U0EHLO> what is this? <@U0EHLO|ehlo> now', 'U0EHLO').replace(/\s+/g, ' ').trim()).toBe('what is this? now');
  });

  it('reads rich_text blocks: sections, preformatted, quotes, lists, links, mentions', () => {
    const blocks = [
      { type: 'rich_text', elements: [
        { type: 'rich_text_section', elements: [{ type: 'user', user_id: 'U0EHLO' }, { type: 'text', text: ' queue says' }] },
        { type: 'rich_text_preformatted', elements: [{ type: 'text', text: '451 4.4.0 DNS query failed <x> & y' }] },
        { type: 'rich_text_quote', elements: [{ type: 'link', url: 'mailto:a@contoso.com', text: 'a@contoso.com' }, { type: 'broadcast', range: 'here' }] },
        { type: 'rich_text_list', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'one' }] }] },
      ] },
    ];
    expect(richTextOf(blocks, 'U0EHLO')).toBe(' queue says\n451 4.4.0 DNS query failed <x> & y\na@contoso.com@here\none');
    expect(messageText({ text: 'ignored', blocks }, 'U0EHLO')).toContain('DNS query failed <x> & y');
    expect(messageText({ text: '&lt;b&gt;', blocks: [{ type: 'section' }] })).toBe('<b>');
  });

  it('is linear on hostile input (many <, long tokens, entities) and bounded', () => {
    const hostile = ['<'.repeat(400_000), `<${'a'.repeat(300_000)}>`, '&lt;'.repeat(200_000), '<@U|'.repeat(100_000), '```'.repeat(200_000)];
    for (const h of hostile) {
      const started = performance.now();
      const out = normaliseSlackText(h);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(out.length).toBeLessThanOrEqual(1024 * 1024);
    }
    const deep: Record<string, unknown> = { type: 'rich_text_list', elements: [] };
    let cur = deep;
    for (let i = 0; i < 5000; i++) {
      const next = { type: 'rich_text_list', elements: [] as unknown[] };
      (cur.elements as unknown[]).push(next);
      cur = next;
    }
    expect(richTextOf([{ type: 'rich_text', elements: [deep] }])).toBe('');
  });
});
