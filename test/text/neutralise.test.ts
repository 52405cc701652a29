// Echoing user text: mention tokens neutralised, control characters gone, bounded, in linear time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseMentions, safeBlock, safeLine } from '../../src/text/neutralise.ts';

describe('neutraliseMentions', () => {
  it('turns Slack and Teams mention tokens into inert text', () => {
    expect(neutraliseMentions('<!channel> <!here> <!everyone>')).toBe('[@channel] [@here] [@everyone]');
    expect(neutraliseMentions('ping <@U0123ABC> and <@U0456|jane>')).toBe('ping [@U0123ABC] and [@jane]');
    expect(neutraliseMentions('<!subteam^S012|@oncall> see <#C0123|general>')).toBe('[@oncall] see [#general]');
    expect(neutraliseMentions('<at>Jane Doe</at> look')).toBe('[@Jane Doe] look');
    expect(neutraliseMentions('hey @channel and @here, mail@example.com stays')).toBe('hey [@channel] and [@here], mail@example.com stays');
  });

  it('leaves ordinary angle brackets (addresses, SMTP paths) alone', () => {
    expect(neutraliseMentions('MAIL FROM:<a@contoso.com> 550 <b@fabrikam.com>')).toBe('MAIL FROM:<a@contoso.com> 550 <b@fabrikam.com>');
  });
});

describe('safeLine and safeBlock', () => {
  it('drop terminal escapes and control characters; a line is one line, a block keeps its lines', () => {
    expect(safeLine('a\u001b[2Jb\r\nc\u0007d\u202ee')).toBe('a [2Jb c d e');
    expect(safeBlock('line 1\n\n\n\nline 2\u001b]0;x\u0007').text).toBe('line 1\n\nline 2]0;x');
  });

  it('bound the length and say when they cut', () => {
    expect(safeLine('x'.repeat(1000), 50)).toHaveLength(50);
    const b = safeBlock('y'.repeat(10_000), 100);
    expect(b.text).toHaveLength(100);
    expect(b.truncated).toBe(true);
  });

  it('never let a mention token or a control character through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), fc.constantFrom('<!channel>', '<!here>', '<@U1>', '\u001b[31m', '\u0000'), (noise, bad) => {
        const out = safeLine(`${noise}${bad}${noise}`, 2000);
        expect(out).not.toMatch(/<!channel>|<!here>|<@U1>|[\u0000-\u001f\u007f]/);
      }),
    );
  });

  it('handle a megabyte of hostile text in one pass', () => {
    const hostile = '<!'.repeat(300_000) + '<@'.repeat(200_000);
    expect(safeLine(hostile, 100).length).toBeLessThanOrEqual(100);
  });
});
