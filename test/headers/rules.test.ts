// Each rule kind on the smallest input that makes it fire, and the edge that keeps it quiet
// (in the manner of MHA's one test per rule class). Inputs are pieces of the real pastes in
// test/fixtures/headers.
import { describe, expect, it } from 'vitest';
import { analyzeHeaders } from '../../src/headers/report.ts';

const codes = (text: string) => analyzeHeaders(text).findings.map((f) => f.code);
const row = (from: string, by: string, date: string) => `Received: from ${from} (${from} [203.0.113.7]) by ${by} with ESMTP id X1; ${date}\n`;

describe('antispam-value', () => {
  it('fires on the listed values only, and turns a sender\'s outbound stamp into information', () => {
    expect(codes('X-Forefront-Antispam-Report: CIP:192.0.2.10;SCL:5;SFV:SPM;CAT:SPOOF;DIR:INB;\n')).toEqual(expect.arrayContaining(['cat-spoof', 'sfv-spam', 'scl-spam']));
    expect(codes('X-Forefront-Antispam-Report: CIP:192.0.2.10;SCL:1;SFV:NSPM;CAT:NONE;DIR:INB;\n')).toEqual(['sfv-not-spam']);
    const outbound = analyzeHeaders('X-Forefront-Antispam-Report: CIP:198.51.100.7;SCL:5;IPV:CAL;SFV:SPM;CAT:OSPM;DIR:OUT;\n');
    expect(outbound.findings.every((f) => f.severity === 'info' && !f.topic)).toBe(true);
    expect(outbound.verdict).toBe('none');
  });

  it('reads SFV:SKN / SKA and IPV:CAL as filtering skipped', () => {
    const r = analyzeHeaders('X-Forefront-Antispam-Report: CIP:198.51.100.4;CTRY:US;SCL:-1;IPV:CAL;SFV:SKN;DIR:INB;\n');
    expect(r.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['sfv-allowed', 'ipv-allow-list', 'scl-skipped']));
    expect(r.matches[0]?.topics).toEqual(['inbound-filter-bypassed']);
  });
});

describe('antispam-range', () => {
  it('SCL 5 to 9 is spam, -1 is skipped, and BCL counts only when the message was junked', () => {
    expect(codes('X-MS-Exchange-Organization-SCL: 6\n')).toEqual(['scl-spam']);
    expect(codes('X-MS-Exchange-Organization-SCL: 1\nX-Microsoft-Antispam: BCL:8;\n')).toEqual(['bcl-bulk-delivered']);
    expect(codes('X-MS-Exchange-Organization-SCL: 5\nX-Microsoft-Antispam: BCL:8;\n')).toEqual(expect.arrayContaining(['bcl-over-threshold-junked', 'scl-spam']));
    expect(analyzeHeaders('X-MS-Exchange-Organization-SCL: 5\nX-Microsoft-Antispam: BCL:8;\n').matches[0]?.topics).toEqual(['inbound-bulk-filtered']);
  });

  it('the organization\'s SCL wins over the Forefront report (a mail flow rule changed it)', () => {
    const r = analyzeHeaders('X-Forefront-Antispam-Report: CIP:198.51.100.4;SCL:5;SFV:SPM;DIR:INB;\nX-MS-Exchange-Organization-SCL: -1\n');
    expect(r.antispam.scl).toBe(-1);
  });
});

describe('auth-result', () => {
  it('tells compauth reasons apart: 000 explicit, 001 implicit, 6xx intra-org, 1xx pass', () => {
    const auth = (v: string) => codes(`Authentication-Results: spf=fail (sender IP is 203.0.113.7) smtp.mailfrom=contoso.com; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=contoso.com;compauth=${v}\n`);
    expect(auth('fail reason=000')).toEqual(expect.arrayContaining(['compauth-explicit-fail', 'dmarc-fail-enforced', 'spf-fail']));
    expect(auth('fail reason=001')).toContain('compauth-implicit-fail');
    expect(auth('fail reason=601')).toContain('compauth-explicit-fail');
    expect(auth('pass reason=100')).toContain('compauth-pass');
  });

  it('dmarc=fail without an action is weak on its own; with a composite-authentication failure it is a spoof verdict', () => {
    const alone = analyzeHeaders('Authentication-Results: spf=softfail (sender IP is 203.0.113.40) smtp.mailfrom=gmail.com; dkim=none (message not signed) header.d=none;dmarc=fail action=none header.from=gmail.com\n');
    expect(alone.findings.find((f) => f.code === 'dmarc-fail')?.severity).toBe('warn');
    expect(alone.verdict).toBe('none');
    const withCompauth = analyzeHeaders('Authentication-Results: spf=none (sender IP is 103.177.230.37) smtp.mailfrom=x.example; dkim=none (message not signed) header.d=none;dmarc=fail action=none header.from=y.example;compauth=fail reason=001\n');
    expect(withCompauth.verdict).toBe('match');
    expect(withCompauth.matches[0]?.topics).toEqual(['inbound-spoof-compauth-fail']);
  });
});

describe('hop-delay, clock-skew, received-malformed, hop-count', () => {
  it('a slow hop of at least 15 minutes and half the trip is a finding; 14 minutes is not', () => {
    const slow = row('a.example', 'b.example', 'Mon, 1 Jan 2024 10:15:00 +0000') + row('x.example', 'a.example', 'Mon, 1 Jan 2024 10:00:00 +0000');
    expect(codes(slow)).toContain('hop-delay');
    const quick = row('a.example', 'b.example', 'Mon, 1 Jan 2024 10:14:00 +0000') + row('x.example', 'a.example', 'Mon, 1 Jan 2024 10:00:00 +0000');
    expect(codes(quick)).not.toContain('hop-delay');
    const hour = row('a.example', 'b.example', 'Mon, 1 Jan 2024 11:13:00 +0000') + row('x.example', 'a.example', 'Mon, 1 Jan 2024 10:00:00 +0000');
    expect(codes(hour)).toEqual(['hop-delay-long']);
  });

  it('a hop stamped before the hop below it is clock skew; a row without ";" is malformed', () => {
    // The same instant written in two zones is no skew.
    const zones = row('a.example', 'b.example', 'Mon, 1 Jan 2024 09:00:00 +0000') + row('x.example', 'a.example', 'Mon, 1 Jan 2024 17:00:00 +0800');
    expect(codes(zones)).toEqual([]);
    const behind = row('a.example', 'b.example', 'Mon, 1 Jan 2024 09:00:00 +0000') + row('x.example', 'a.example', 'Mon, 1 Jan 2024 10:00:00 +0000');
    expect(codes(behind)).toContain('clock-skew');
    expect(codes('Received: from a.example (a.example [203.0.113.7]) by b.example with SMTP Mon, 1 Jan 2024 09:00:00 +0000\n')).toContain('received-malformed');
  });

  it('more than 25 Received rows suggest a loop', () => {
    const many = row('a.example', 'b.example', 'Mon, 1 Jan 2024 09:00:00 +0000').repeat(26);
    const r = analyzeHeaders(many);
    expect(r.findings.map((f) => f.code)).toContain('hop-count-high');
    expect(r.matches[0]?.topics).toEqual(['loop-detected']);
    expect(codes(row('a.example', 'b.example', 'Mon, 1 Jan 2024 09:00:00 +0000').repeat(25))).not.toContain('hop-count-high');
  });
});

describe('hop-delay after clock skew', () => {
  it('the hop after a slow clock is measured from the latest earlier stamp, so the skew is not read as a delay', () => {
    // The middle server's clock is an hour behind (pp-sample-3520's Trend Micro IMSVA): 09:00 → 08:00 → 09:00:30.
    const skewed = row('b.example', 'c.example', 'Mon, 1 Jan 2024 09:00:30 +0000') + row('a.example', 'b.example', 'Mon, 1 Jan 2024 08:00:10 +0000') + row('x.example', 'a.example', 'Mon, 1 Jan 2024 09:00:00 +0000');
    const r = analyzeHeaders(skewed);
    expect(r.hops.map((h) => h.delaySeconds)).toEqual([0, -3590, 3620]);
    expect(r.findings.map((f) => f.code)).toEqual(['clock-skew']);
    // A real wait after the skewed hop still counts, from the latest stamp before it.
    const waited = row('b.example', 'c.example', 'Mon, 1 Jan 2024 10:30:00 +0000') + row('a.example', 'b.example', 'Mon, 1 Jan 2024 08:00:10 +0000') + row('x.example', 'a.example', 'Mon, 1 Jan 2024 09:00:00 +0000');
    const slow = analyzeHeaders(waited).findings.find((f) => f.code === 'hop-delay-long');
    expect(slow?.message).toContain('1 h 30 min');
  });
});

describe('gateway-entry, gateway-verdict, enhanced-filtering', () => {
  const eop = (from: string, ip: string) =>
    `Received: from ${from} (${ip}) by DM6NAM04FT010.mail.protection.outlook.com (10.13.159.82) with Microsoft SMTP Server id 15.20.4242.16 via Frontend Transport; Wed, 23 Jun 2021 01:54:43 +0000\n`;
  const failing = 'Authentication-Results: spf=softfail (sender IP is 67.231.148.174) smtp.mailfrom=oracle.com; dkim=fail (signature did not verify) header.d=oracle.com;dmarc=fail action=none header.from=oracle.com;compauth=pass reason=116\n';
  const passing = 'Authentication-Results: spf=pass (sender IP is 67.231.148.174) smtp.mailfrom=oracle.com; dkim=pass (signature was verified) header.d=oracle.com;dmarc=pass action=none header.from=oracle.com;compauth=pass reason=100\n';

  it('a known gateway handing the message to EOP with SPF failing points to enhanced filtering', () => {
    const r = analyzeHeaders(eop('mx0b-0016f401.pphosted.com', '67.231.148.174') + failing);
    const f = r.findings.find((x) => x.code === 'gateway-before-eop-auth-failed');
    expect(f?.severity).toBe('warn');
    expect(f?.message).toContain('Proofpoint');
    expect(f?.message).toContain('Enhanced Filtering for Connectors');
    expect(f?.topic).toBe('inbound-spoof-compauth-fail');
    expect(r.gateways.map((g) => g.vendor)).toEqual(['proofpoint']);
    // The gateway's own hand-overs on loopback are skipped: the IP before it is the one it received from.
    const behind = 'Received: from pps.filterd (m0045849.ppops.net [127.0.0.1]) by mx0a-0016f401.pphosted.com with SMTP id 15N1nUqw024957; Tue, 22 Jun 2021 18:54:42 -0700\n'
      + 'Received: from mx0a-00069f02.pphosted.com (mx0a-00069f02.pphosted.com [205.220.165.32]) by mx0a-0016f401.pphosted.com with ESMTP id 39b91hcsv4-1; Tue, 22 Jun 2021 18:54:42 -0700\n';
    const withOrigin = analyzeHeaders(eop('mx0b-0016f401.pphosted.com', '67.231.148.174') + failing + behind);
    expect(withOrigin.findings.find((x) => x.code === 'gateway-before-eop-auth-failed')?.message).toContain('not on 205.220.165.32 (hop 1) before it');
    expect(withOrigin.probes.find((p) => p.kind === 'dnsbl')?.target).toBe('205.220.165.32');
    // When authentication passed, the checks stay on the IP Microsoft saw.
    expect(analyzeHeaders(eop('mx0b-0016f401.pphosted.com', '67.231.148.174') + passing + behind).probes.find((p) => p.kind === 'dnsbl')?.target).toBe('67.231.148.174');
    // Authentication passed for the gateway's IP: information only.
    expect(analyzeHeaders(eop('mx0b-0016f401.pphosted.com', '67.231.148.174') + passing).findings.find((x) => x.code.startsWith('gateway-before-eop'))?.code).toBe('gateway-before-eop');
    // An unknown server in front of EOP says nothing on its own.
    expect(codes(eop('mail.contoso.example', '203.0.113.9') + failing).filter((c) => c.startsWith('gateway'))).toEqual([]);
  });

  it('an earlier server that passed SPF for another IP marks the relay in front of EOP', () => {
    const spf = 'Received-SPF: pass(mailgw02.mediatek.com: domain of kernel.org designates 145.40.73.55 as permitted sender) receiver=mailgw02.mediatek.com; client-ip=145.40.73.55; helo=sin.source.kernel.org\n';
    const auth = 'Authentication-Results: spf=softfail (sender IP is 60.244.123.129) smtp.mailfrom=kernel.org; dkim=none (message not signed) header.d=none;dmarc=fail action=none header.from=xs4all.nl;\n';
    const inbound = 'Received: from sin.source.kernel.org [(145.40.73.55)] by mailgw02.mediatek.com with ESMTP id 440852715; Thu, 04 Apr 2024 01:40:53 -0700\n';
    const r = analyzeHeaders(eop('exhb.mediatek.com', '60.244.123.129') + spf + auth + inbound);
    const f = r.findings.find((x) => x.code === 'gateway-before-eop-auth-failed');
    expect(f?.message).toContain('mailgw02.mediatek.com');
    expect(f?.message).toContain('not on 145.40.73.55 (hop 1) before it');
    // The checks aim at the IP the relay received the message from, not at the relay.
    expect(r.probes.find((p) => p.kind === 'dnsbl')?.target).toBe('145.40.73.55');
    // The same Received-SPF for the IP EOP saw is no second server.
    const same = spf.replaceAll('145.40.73.55', '60.244.123.129');
    expect(codes(eop('exhb.mediatek.com', '60.244.123.129') + same + auth)).not.toContain('gateway-before-eop-auth-failed');
  });

  it('the stamp of enhanced filtering replaces the advice with what it found', () => {
    const ef = 'X-MS-Exchange-ExternalOriginalInternetSender: ip=[198.51.100.23];domain=mail.fabrikam.example\n';
    const c = codes(eop('mx0b-0016f401.pphosted.com', '67.231.148.174') + failing + ef);
    expect(c).toContain('enhanced-filtering-on');
    expect(c.filter((x) => x.startsWith('gateway-before-eop'))).toEqual([]);
    expect(analyzeHeaders(ef).findings.find((x) => x.code === 'enhanced-filtering-on')?.message).toContain('198.51.100.23');
  });

  it('shows a gateway\'s own verdict headers as information, never as the diagnosis', () => {
    const r = analyzeHeaders(eop('us-smtp-inbound-1.mimecast.com', '205.139.110.61') + passing + 'X-Mimecast-Spam-Score: 3\nX-Proofpoint-Spam-Details: rule=notspam policy=default score=0\n');
    const v = r.findings.filter((f) => f.code === 'gateway-verdict');
    expect(v.map((f) => f.message).sort()).toEqual(['Mimecast stamped X-Mimecast-Spam-Score: 3', 'Proofpoint stamped X-Proofpoint-Spam-Details: rule=notspam policy=default score=0']);
    expect(v.every((f) => f.severity === 'info' && !f.topic)).toBe(true);
    expect(r.verdict).toBe('none');
  });
});

describe('antispam-origin', () => {
  const list = row('lists.example', 'mx.example', 'Mon, 19 Aug 2019 16:27:25 +0000') + row('spammer.example', 'lists.example', 'Mon, 19 Aug 2019 16:27:22 +0000');
  it('anti-spam verdicts in a block without a Microsoft hop were written by someone else: not acted on', () => {
    const r = analyzeHeaders(`${list}X-Forefront-Antispam-Report: IPV:NLI;SFV:SKA;SFV:SFE; \nX-MS-Exchange-Organization-SCL: 9\n`);
    expect(r.findings[0]?.code).toBe('antispam-not-microsoft');
    expect(r.findings.filter((f) => f.topic)).toEqual([]);
    expect(r.verdict).toBe('none');
  });

  it('a Microsoft hop, or no Received rows at all (a paste of the verdict headers only), keeps them', () => {
    const microsoft = 'Received: from spammer.example (203.0.113.7) by DM6NAM04FT010.mail.protection.outlook.com (10.13.159.82) with Microsoft SMTP Server id 15.20.4242.16 via Frontend Transport; Mon, 19 Aug 2019 16:27:26 +0000\n';
    expect(analyzeHeaders(`${microsoft}${list}X-Forefront-Antispam-Report: CIP:203.0.113.7;SCL:-1;IPV:NLI;SFV:SKA;DIR:INB;\n`).matches[0]?.topics).toEqual(['inbound-filter-bypassed']);
    expect(analyzeHeaders('X-Forefront-Antispam-Report: CIP:203.0.113.7;SCL:-1;IPV:NLI;SFV:SKA;DIR:INB;\n').matches[0]?.topics).toEqual(['inbound-filter-bypassed']);
  });
});
