// The parser's pieces on real row shapes (copied from public pastes in test/fixtures/headers and
// the forms MTAs write), and hostile input in bounded time.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseHeaderDate } from '../../src/headers/dates.ts';
import { decodeEncodedWords } from '../../src/headers/rfc2047.ts';
import { parseReceived } from '../../src/headers/received.ts';
import { parseHeaderBlock } from '../../src/headers/unfold.ts';
import { readAuthentication } from '../../src/headers/authentication.ts';
import { analyzeHeaders, headerMatchResult } from '../../src/headers/report.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { lintHeaderRules } from '../../src/headers/lint.ts';
import { HEADER_RULES } from '../../src/headers/rules.ts';

const at = (s: string) => parseHeaderDate(s)?.ms;

describe('dates', () => {
  it('reads RFC 5322 dates and what servers write instead, to UTC', () => {
    expect(at('Fri,  7 Mar 2025 10:04:16 +0100 (CET)')).toBe(Date.UTC(2025, 2, 7, 9, 4, 16));
    expect(at('Sat, 18 Feb 2023 20:02:33 -0300 (-03)')).toBe(Date.UTC(2023, 1, 18, 23, 2, 33));
    expect(at('07 Nov 2023 09:10:51.5142 (UTC)')).toBe(Date.UTC(2023, 10, 7, 9, 10, 51));
    expect(at('Mon, 5 Jun 23 10:00:00 EDT')).toBe(Date.UTC(2023, 5, 5, 14, 0, 0));
    expect(at('not a date at all')).toBeUndefined();
  });
});

describe('RFC 2047', () => {
  it('decodes B and Q words and drops blanks between adjacent words', () => {
    expect(decodeEncodedWords('=?UTF-8?Q?Sauda=C3=A7=C3=B5es_para_voc=C3=AA?=')).toBe('Saudações para você');
    expect(decodeEncodedWords('=?UTF-8?B?VG8gdGFr?= =?UTF-8?B?ZQ==?= x')).toBe('To take x');
    expect(decodeEncodedWords('=?bogus')).toBe('=?bogus');
  });
});

describe('Received rows', () => {
  it('Exchange Online, Postfix, Exim, Gmail, qmail and a row without ";"', () => {
    const exo = parseReceived('from f28.my.com (185.30.177.90) by SN1NAM02FT0029.mail.protection.outlook.com (10.97.4.175) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.6111.18 via Frontend Transport; Sun, 19 Feb 2023 07:13:26 +0000', [0, 1]);
    expect(exo).toMatchObject({ from: 'f28.my.com', fromIp: '185.30.177.90', by: 'SN1NAM02FT0029.mail.protection.outlook.com', id: '15.20.6111.18', via: 'Frontend Transport', time: Date.UTC(2023, 1, 19, 7, 13, 26) });
    const postfix = parseReceived('from NAM04-MW2-obe.outbound.protection.outlook.com (mail-mw2nam04lp2169.outbound.protection.outlook.com [104.47.73.169]) (using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)) (No client certificate requested) by mx02.picture.com.br (Postfix) with ESMTPS id 40938FF920 for <phishing@pot>; Sun, 19 Feb 2023 04:13:35 -0300 (-03)', [0, 1]);
    expect(postfix).toMatchObject({ fromIp: '104.47.73.169', by: 'mx02.picture.com.br', with: 'ESMTPS', id: '40938FF920', for: 'phishing@pot', time: Date.UTC(2023, 1, 19, 7, 13, 35) });
    const exim = parseReceived('by f28.my.com with local (envelope-from <z19lvg@kuaihaosheng000.com>) id 1pTdsy-0006E3-L1; Sun, 19 Feb 2023 10:13:24 +0300', [0, 1]);
    expect(exim).toMatchObject({ by: 'f28.my.com', with: 'local', id: '1pTdsy-0006E3-L1', time: Date.UTC(2023, 1, 19, 7, 13, 24) });
    const gmail = parseReceived('by mail-ej1-f43.google.com with SMTP id a640c23a62f3a-978345f3798so46236266b.3 for <phishing@pot>; Mon, 05 Jun 2023 10:54:02 -0700 (PDT)', [0, 1]);
    expect(gmail).toMatchObject({ by: 'mail-ej1-f43.google.com', with: 'SMTP', time: Date.UTC(2023, 5, 5, 17, 54, 2) });
    const qmail = parseReceived('(qmail 12345 invoked from network); 7 Mar 2025 09:04:02 -0000', [0, 1]);
    expect(qmail.time).toBe(Date.UTC(2025, 2, 7, 9, 4, 2));
    // qmail's local hand-over note names no server by design: not malformed (MessageLabs writes it, pp-sample-3525).
    expect(qmail.problems).toEqual([]);
    expect(parseReceived('(qmail 4 invoked by uid 89); 7 Mar 2025 09:04:02 -0000', [0, 1]).problems).toEqual([]);
    // Any other row without "by" still is.
    expect(parseReceived('(mystery relay 12); 7 Mar 2025 09:04:02 -0000', [0, 1]).problems).toContain('no-by');
    // Exim without reverse DNS (pp-sample-3948): the literal after "from" connected, the helo literal is a claim.
    expect(parseReceived('from [41.86.153.86] (port=37652 helo=[192.168.1.29]) by localhost.localdomain with esmtp (Exim 4.69) id 1smQ6C-00068I-5i; Fri, 06 Sep 2024 04:57:28 +0100', [0, 1]).fromIp).toBe('41.86.153.86');
    expect(parseReceived('from mail.example (HELO [10.1.2.3]) ([203.0.113.5]) by mx.example with ESMTP; Fri, 06 Sep 2024 04:57:28 +0100', [0, 1]).fromIp).toBe('203.0.113.5');
    expect(parseReceived('from unknown (HELO webmail.example.com) (182.74.196.30) by server-33.tower-702.messagelabs.com with SMTP; 5 Aug 2024 00:51:45 -0000', [0, 1]).fromIp).toBe('182.74.196.30');
    const broken = parseReceived('from x.example (1.2.3.4) by y.example with SMTP Tue, 7 Nov 2023 09:10:58 +0000', [0, 1]);
    expect(broken.problems).toContain('no-semicolon');
    expect(broken.time).toBe(Date.UTC(2023, 10, 7, 9, 10, 58));
  });
});

describe('authentication', () => {
  it('reads Microsoft\'s form and the RFC 8601 form', () => {
    const block = parseHeaderBlock([
      'Authentication-Results: spf=none (sender IP is 192.0.2.10)',
      ' smtp.mailfrom=sender.example; dkim=pass (signature was verified)',
      ' header.d=signer.example;dmarc=fail action=oreject header.from=sender.example;compauth=fail',
      ' reason=000',
      'ARC-Authentication-Results: i=1; mx.google.com; dkim=pass header.i=@example.com; spf=pass (google.com: domain of a@example.com designates 1.2.3.4 as permitted sender) smtp.mailfrom=a@example.com; dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com',
      '',
    ].join('\n'));
    const a = readAuthentication(block.fields);
    expect(a.spf).toMatchObject({ result: 'none', domain: 'sender.example', ip: '192.0.2.10' });
    expect(a.dkim).toEqual([expect.objectContaining({ result: 'pass', domain: 'signer.example' })]);
    expect(a.dmarc).toMatchObject({ result: 'fail', action: 'oreject', domain: 'sender.example' });
    expect(a.compauth).toMatchObject({ result: 'fail', reason: '000' });
    expect(a.results.filter((r) => r.source === 'arc-authentication-results').map((r) => `${r.method}=${r.result}`)).toEqual(['dkim=pass', 'spf=pass', 'dmarc=pass']);
  });
});

describe('hostile input', () => {
  it('5 MB of binary junk and 10,000 Received rows come back with a report', () => {
    let junk = '';
    for (let i = 0; i < 5 * 1024 * 1024; i++) junk += String.fromCharCode((i * 7919) % 256);
    const r = analyzeHeaders(junk);
    expect(r.truncated?.totalChars).toBe(junk.length);
    expect(r.verdict).toBe('none');
    const rows = 'Received: from a.example (a.example [203.0.113.9]) by b.example with ESMTP id 1; Mon, 1 Jan 2024 00:00:00 +0000\n'.repeat(10_000);
    const openWords = analyzeHeaders(`Subject: ${'=?a?B?'.repeat(10_000)}\nX-Forefront-Antispam-Report: ${'a b:1;'.repeat(2_500)}\n${'X-Pad: x\n'.repeat(50_000)}`);
    expect(openWords.message.subject?.length).toBe(300);
    expect(openWords.antispam.fields.length).toBe(2_500);
    const many = analyzeHeaders(rows);
    expect(many.hops.length).toBeGreaterThan(5000);
    expect(many.findings.some((f) => f.code === 'hop-count-high')).toBe(true);
  });
});

describe('ehlo match on a header paste', () => {
  it('gives the header diagnosis, and leaves other pastes alone', () => {
    const matcher = defaultMatcher();
    // The case: a 73-minute gap, spf=fail … dmarc=fail action=quarantine compauth=fail, SFV:SPM; CAT:SPOOF; SCL:5.
    const paste = 'Received: from AB1NAM02FT001.eop-nam02.prod.protection.outlook.com (2603:10b6:408:13d:cafe::11) by CD9PR03CA0001.outlook.office365.com with Microsoft SMTP Server id 15.20.6111.18 via Frontend Transport; Sun, 19 Feb 2023 00:15:07 +0000\nReceived: from mail.sender.example (192.0.2.10) by AB1NAM02FT001.mail.protection.outlook.com with Microsoft SMTP Server; Sat, 18 Feb 2023 23:02:07 +0000\nAuthentication-Results: spf=fail (sender IP is 192.0.2.10) smtp.mailfrom=sender.example; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=sender.example;compauth=fail reason=000\nX-MS-Exchange-Organization-SCL: 5\nX-Forefront-Antispam-Report: CIP:192.0.2.10;CTRY:NL;LANG:en;SCL:5;SRV:;IPV:NLI;SFV:SPM;H:mail.sender.example;PTR:mail.sender.example;CAT:SPOOF;DIR:INB;\nMessage-ID: <1@x>\n';
    const r = headerMatchResult(paste, matcher.match(paste), matcher.catalog);
    expect(r.kind).toBe('headers');
    expect(r.matches[0]?.playbook).toBe('eop-inbound-spoof-compauth-fail');
    expect(r.matches.map((m) => m.playbook)).not.toContain('spf-fail-sender-not-authorized');
    // The walkthrough's checks aim at the sending IP first.
    expect(r.signals.ips[0]).toBe('192.0.2.10');
    expect(r.matches.find((m) => m.topics.includes('delivery-delayed'))?.why[0]?.evidence).toBe('hop 2 took 1 h 13 min (100% of the trip): AB1NAM02FT001.mail.protection.outlook.com → CD9PR03CA0001.outlook.office365.com');
    const ndr = '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found';
    expect(headerMatchResult(ndr, matcher.match(ndr), matcher.catalog)).toEqual(matcher.match(ndr));
  });
});

describe('header rule lint', () => {
  it('passes on the shipped rules and catches a broken one', () => {
    const catalog = defaultMatcher().catalog;
    expect(lintHeaderRules(catalog)).toEqual([]);
    const bad = [...HEADER_RULES, { id: 'Bad Id', kind: 'antispam-value' as const, field: 'sfv' as const, values: ['SPM'], severity: 'warn' as const, topic: 'not-a-topic', message: 'x {nope}' }];
    const problems = lintHeaderRules(catalog, bad).map((p) => p.message);
    expect(problems).toEqual(expect.arrayContaining(['must be kebab-case', '"not-a-topic" is not a topic of TOPICS.md', 'a rule with a topic needs a weight in (0, 1]']));
    expect(problems.some((m) => m.includes('{nope}'))).toBe(true);
  });
});

describe('pastes with a page around them', () => {
  it('reads past Gmail\'s summary box and its links to the raw header (the raw part is the OpenDMARC #264 paste)', () => {
    const raw = readFileSync(new URL('../fixtures/headers/issue-opendmarc-264.txt', import.meta.url), 'utf8');
    // The summary box as Gmail's "Show original" page shows it, then the page's links, then the raw message.
    const page = `Original message\n\nMessage ID\t<CAF=abc@mail.gmail.com>\nCreated at:\tWed, Aug 28, 2024 at 11:09 PM (Delivered after 1 second)\nFrom:\tSomeone <someone@example.org>\nTo:\ttest@gmail.com\nSubject:\tTest\nSPF:\tPASS with IP 192.0.2.10 Learn more\n\n\nDownload original\tCopy to clipboard\n\n\n${raw}\nHello, this is the body.\n`;
    const r = analyzeHeaders(page);
    expect(r.hops.map((h) => h.by)).toEqual(['2002:a17:906:5619:b0:a77:e0ec:c51e']);
    expect(r.hops[0]?.time).toBe('2024-08-29T06:09:19Z');
  });
});
