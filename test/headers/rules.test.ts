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
