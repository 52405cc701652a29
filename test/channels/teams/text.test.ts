// Teams text normalisation, the connector host policy and the retry rule, on their own: HTML as Teams
// sends it, mentions, entities, hostile input (huge, deeply nested, unterminated) in bounded time and
// memory; serviceUrls that only look like Microsoft's; which statuses are retried and how long apart.
import { describe, expect, it } from 'vitest';
import { ConnectorHostPolicy } from '../../../src/channels/teams/hosts.ts';
import { RETRY_STATUSES, withRetry } from '../../../src/channels/teams/retry.ts';
import { htmlToText, MAX_OUTPUT, messageText, plainToText } from '../../../src/channels/teams/text.ts';

const bot = { dropMentions: new Set(['ehlo']) };

describe('Teams text → the pasted text', () => {
  it('turns paragraphs, breaks, divs and pre blocks into lines, decodes &nbsp; and entities, drops the bot mention', () => {
    const html = '<div><p><at>ehlo</at>&nbsp;Remote Server returned &#39;550 5.1.10 RESOLVER.ADR.RecipientNotFound&#39;</p>'
      + '<p>To:&nbsp;&nbsp;&lt;bob@contoso.com&gt;</p><p>a&amp;b&nbsp;&quot;q&quot; &eacute;t&eacute;</p>'
      + '<pre><code>Get-Queue | fl\n  LastError : 451 4.4.0</code></pre><div>one<br>two<br/>three</div></div>';
    expect(htmlToText(html, bot)).toBe("Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'\nTo: <bob@contoso.com>\na&b \"q\" été\nGet-Queue | fl\n  LastError : 451 4.4.0\none\ntwo\nthree");
  });

  it('keeps other people\'s mentions as their names and the bot\'s only when it is someone else', () => {
    expect(htmlToText('<p><at>Bob Example</at> see this <at>ehlo</at></p>', bot)).toBe('Bob Example see this');
    expect(plainToText('<at>ehlo</at> ping <at>Alice</at>', bot)).toBe('ping Alice');
  });

  it('reads plain text literally: "<" starts no tag, entities decode, line breaks stay', () => {
    expect(plainToText('<at>ehlo</at> 550 5.7.1 <bob@contoso.com>: Relay access denied\nnext &lt;line&gt;', bot)).toBe('550 5.7.1 <bob@contoso.com>: Relay access denied\nnext <line>');
  });

  it('prefers the text/html attachment over text (Teams dropped the <address> from text)', () => {
    const activity = {
      text: '<at>ehlo</at> 550 5.1.1 : Recipient address rejected',
      textFormat: 'plain',
      attachments: [{ contentType: 'text/html', content: '<p><at>ehlo</at> 550 5.1.1 &lt;bob@contoso.com&gt;: Recipient address rejected</p>' }],
    };
    expect(messageText(activity, bot)).toBe('550 5.1.1 <bob@contoso.com>: Recipient address rejected');
    expect(messageText({ ...activity, attachments: [] }, bot)).toBe('550 5.1.1 : Recipient address rejected');
    expect(messageText({ text: '<p>x&nbsp;y</p>', textFormat: 'xml' }, bot)).toBe('x y');
  });

  it('keeps emoji Teams sends as images, and link texts', () => {
    expect(htmlToText('<p>fixed <img alt="🎉" src="x"> see <a href="mailto:bob@contoso.com">bob@contoso.com</a></p>')).toBe('fixed 🎉 see bob@contoso.com');
  });

  it('drops script and style content', () => {
    expect(htmlToText('<p>a</p><script>alert(1)</script><style>p{}</style><p>b</p>')).toBe('a\nb');
  });

  it('stays bounded on hostile input: huge, deeply nested, unterminated, many entities', () => {
    const cases = [
      '<div>'.repeat(200_000),
      `<p>${'&nbsp;'.repeat(300_000)}x</p>`,
      `<at>${'a'.repeat(500_000)}`,
      `${'<'.repeat(400_000)}`,
      `<pre>${' \n'.repeat(300_000)}</pre>`,
      `<p>${'x'.repeat(1_000_000)}</p>`,
    ];
    for (const c of cases) {
      const t0 = performance.now();
      const out = htmlToText(c, bot);
      const plain = plainToText(c, bot);
      expect(out.length).toBeLessThanOrEqual(MAX_OUTPUT);
      expect(plain.length).toBeLessThanOrEqual(MAX_OUTPUT);
      expect(performance.now() - t0).toBeLessThan(3000);
    }
  });
});

describe('connector host policy', () => {
  const prod = new ConnectorHostPolicy({ allowLoopback: false });
  const dev = new ConnectorHostPolicy({ allowLoopback: true });
  it('allows Microsoft\'s Bot Connector hosts over https only', () => {
    for (const u of ['https://smba.trafficmanager.net/amer/', 'https://smba.trafficmanager.net/emea/', 'https://europe.webchat.botframework.com/', 'https://smba.infra.gcc.teams.microsoft.com/gcc/', 'https://smba.infra.gov.teams.microsoft.us/'])
      expect(prod.isAllowed(u), u).toBe(true);
    for (const u of ['http://smba.trafficmanager.net/amer/', 'https://smba.trafficmanager.net.evil.example/', 'https://evilsmba.trafficmanager.net/', 'https://botframework.com@evil.example/', 'https://user:pw@smba.trafficmanager.net/', 'https://teams.microsoft.com/', 'https://graph.microsoft.com/', 'javascript:alert(1)', 'not a url', '', 'http://127.0.0.1:3978/'])
      expect(prod.isAllowed(u), u).toBe(false);
  });
  it('allows loopback only in development mode', () => {
    expect(dev.isAllowed('http://127.0.0.1:3978/')).toBe(true);
    expect(dev.isAllowed('http://localhost:56150/_connector')).toBe(true);
    expect(dev.isAllowed('http://[::1]:3978/')).toBe(true);
    expect(dev.isAllowed('http://127.0.0.2:3978/')).toBe(false);
    expect(dev.isAllowed('http://10.0.0.5/')).toBe(false);
  });
});

describe('retries', () => {
  const err = (status: number) => Object.assign(new Error(`status ${status}`), { status });
  it('retries 429, 412, 502 and 504 with growing, jittered waits, and nothing else', async () => {
    expect([...RETRY_STATUSES].sort()).toEqual([412, 429, 502, 504]);
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(async () => {
      calls += 1;
      if (calls <= 4) throw err([429, 412, 502, 504][calls - 1] as number);
      return 'ok';
    }, { baseMs: 100, random: () => 1, sleep: async (ms) => void waits.push(ms) });
    expect(result).toBe('ok');
    expect(waits).toEqual([100, 200, 400, 800]);
    for (const status of [400, 401, 403, 404, 500]) {
      let n = 0;
      await expect(withRetry(async () => {
        n += 1;
        throw err(status);
      }, { sleep: async () => undefined })).rejects.toThrow(`status ${status}`);
      expect(n).toBe(1);
    }
  });
  it('gives up after the attempts allowed and uses full jitter', async () => {
    let n = 0;
    const waits: number[] = [];
    await expect(withRetry(async () => {
      n += 1;
      throw err(429);
    }, { attempts: 3, baseMs: 1000, random: () => 0.25, sleep: async (ms) => void waits.push(ms) })).rejects.toThrow();
    expect(n).toBe(3);
    expect(waits).toEqual([250, 500]);
  });
});
