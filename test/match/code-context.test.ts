import { describe, expect, it } from 'vitest';
import { extractSignals } from '../../src/match/signals.ts';
import { notAStatusCode } from '../../src/match/code-context.ts';
import { splitWords } from '../../src/match/words.ts';

function codes(text: string): string[] {
  return extractSignals(text, splitWords(text)).filter((s) => s.type === 'statusCode').map((s) => s.value);
}

describe('a code-shaped number that its context makes something else', () => {
  it.each([
    ['a version word', 'we run version 5.2.2 of the connector'],
    ['a version word and a colon', 'Version: 5.2.2'],
    ['a version word and an equals sign', 'client ver=4.4.7'],
    ['a mail server banner', '220 mx.example.com ESMTP Exim 4.94.2 Mon, 01 Jan 2024'],
    ['a runtime', 'node 4.4.7 crashed'],
    ['a library', 'loaded jQuery 5.1.1 and Bootstrap 4.4.1'],
    ['an operating system', 'Linux 5.15.0 x86_64'],
    ['a section number', 'see section 5.7.1 of the manual'],
    ['a section sign', 'as § 5.1.1 says'],
    ['a path in a stack trace', '    at foo (node_modules/x/4.4.7/index.js:3:9)'],
    ['a Windows path', 'C:\\Program Files\\App\\5.2.2\\app.exe'],
    ['a URL query', 'open https://example.com/download?v=5.2.2 now'],
    ['a date with a time', 'sent on 5.1.24 10:33 by the scanner'],
    ['a date with a comma and a time', 'sent 4.5.24, 9:05'],
  ])('%s: %s', (_what, text) => {
    expect(codes(text)).toEqual([]);
  });

  it.each([
    ['a glued v', 'v4.4.7'],
    ['an npm-style @', 'x@4.4.7'],
    ['a build or IP number', 'build 4.4.7.1 and host 10.5.2.2'],
    ['a date with a four-digit year', 'on 5.1.2024'],
  ])('%s stays no code: %s', (_what, text) => {
    expect(codes(text)).toEqual([]);
  });

  it('reads the context around the span, not the number alone', () => {
    const t = 'x 5.2.2 y';
    expect(notAStatusCode(t, 2, 7)).toBe(false);
    const glued = '/5.2.2.9 5.2.2/ .5.2.2 1.5.2.2';
    expect(notAStatusCode(glued, 1, 6)).toBe(true); // slash before, ".9" after
    expect(notAStatusCode(glued, 9, 14)).toBe(true); // slash after
    expect(notAStatusCode('v5.2.2', 1, 6)).toBe(true);
    expect(notAStatusCode('rev5.2.2', 3, 8)).toBe(true); // a word glued before is read as the word
    expect(notAStatusCode('err5.2.2', 3, 8)).toBe(false);
    expect(notAStatusCode('Status: 5.2.2', 8, 13)).toBe(false);
    expect(notAStatusCode('Version: 5.2.2', 9, 14)).toBe(true);
    expect(notAStatusCode('1.5.2.2', 2, 7)).toBe(true);
  });
});

describe('real status codes keep being codes', () => {
  it.each([
    ['550 5.2.2 mailbox full', ['5.2.2']],
    ['#5.2.2', ['5.2.2']],
    ['Status: 5.2.2', ['5.2.2']],
    ['Reporting-MTA: dns; mx\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 over quota', ['5.2.2', '5.2.2']],
    ['dsn=5.2.2, status=bounced', ['5.2.2']],
    ['smtp; 552 5.2.2', ['5.2.2']],
    ['5.7.57 error', ['5.7.57']],
    ['getting error 5.7.57 when sending', ['5.7.57']],
    ['NDR 5.1.1', ['5.1.1']],
    ['5.1.10 RESOLVER.ADR.RecipientNotFound', ['5.1.10']],
    ['rejected (5.7.1)', ['5.7.1']],
    ['[5.4.1]', ['5.4.1']],
    ['5.2.2 mailbox full', ['5.2.2']],
    ['550 5.4.1リレー アクセスが拒否されました', ['5.4.1']],
    ['450 4.4.317 Cannot connect [Message=451 5.7.3 STARTTLS is required]', ['4.4.317', '5.7.3']],
    ['550-5.7.1 Unable to relay', ['5.7.1']],
    ["(535, b'5.7.139 Authentication unsuccessful')", ['5.7.139']],
    ['The error is 5.7.1. Please help', ['5.7.1']],
    ['PHPMailer 5.2.28 said 550 5.2.2 quota', ['5.2.2']],
    ['Sending email with MailKit: 5.7.60 SMTP; Client does not have permissions', ['5.7.60']],
    ['Section: 5.7.1 blocked', ['5.7.1']],
  ])('%s', (text, expected) => {
    expect(codes(text)).toEqual(expected);
  });

  it('keeps the reply code before a real status code and drops one before a version', () => {
    const text = '220 mx ESMTP Exim 4.94.2\n550 5.2.2 mailbox full';
    const s = extractSignals(text, splitWords(text));
    expect(s.filter((x) => x.type === 'statusCode').map((x) => x.span[0])).toEqual([text.indexOf('5.2.2')]);
    expect(s.filter((x) => x.type === 'replyCode').map((x) => x.value)).toEqual(['220', '550']);
  });

  it('decides by context also past the point where chunks are remembered by their text', () => {
    // Over 2000 chunks: the same chunk "5.2.2" is replayed from memory, and its context still decides.
    const filler = 'word '.repeat(2500);
    const text = `${filler}version 5.2.2 then 550 5.2.2 then release 5.2.2 then #5.2.2`;
    const found = extractSignals(text, splitWords(text)).filter((x) => x.type === 'statusCode').map((x) => text.slice(x.span[0] - 4, x.span[0]));
    expect(found).toEqual(['550 ', 'en #']);
  });
});

describe('bounded work on hostile input', () => {
  it('reads a long URL full of distinct code-shaped numbers in bounded time', () => {
    let query = '';
    for (let k = 0; k < 40_000; k++) query += `a=5.${k % 1000}.${Math.floor(k / 1000)}&`;
    const text = `https://x/?${query}`;
    const t0 = process.cpuUsage();
    const found = codes(text);
    const used = process.cpuUsage(t0);
    // "://" is looked for only so far back: the first numbers are dropped, the rest cost a bounded scan each.
    expect(found.length).toBeLessThan(40_000);
    expect(found).not.toContain('5.0.0');
    expect((used.user + used.system) / 1000).toBeLessThan(3000);
  });
});
