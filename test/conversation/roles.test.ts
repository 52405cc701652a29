// Targets carry their role, read from where they sit in the paste; a step that names a role gets that
// value or asks, never a value the paste gave another role (the EOP address for "the sender's IP").
import { describe, expect, it } from 'vitest';
import { rolesFromPaste, isMicrosoftIp } from '../../src/conversation/roles.ts';
import { checkRequest, targetsFromSignals } from '../../src/conversation/targets.ts';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();
const rolesOf = (text: string) => {
  const signals = matcher.match(text).signals;
  const targets = targetsFromSignals(signals);
  return { targets, roles: rolesFromPaste(text, signals, targets) };
};

describe('rolesFromPaste', () => {
  it('takes the sender\'s IP from an EOP reject and the receiving server from "Remote Server at"', () => {
    const { roles } = rolesOf(
      "Remote Server at mx.fabrikam.com (203.0.113.25) returned '550 5.7.606 Access denied, banned sending IP [198.51.100.7]. To request removal from this list please visit https://sender.office.com/'",
    );
    expect(roles).toMatchObject({ 'sender-ip': '198.51.100.7', 'receiving-host': 'mx.fabrikam.com' });
  });

  it('reads the Received rows oldest first, and never takes Microsoft\'s own servers for the sender', () => {
    const text = [
      'Received: from DM6PR11MB1234.namprd11.prod.outlook.com (2603:10b6:5:1a0::15) by BN6PR11MB0001.namprd11.prod.outlook.com with HTTPS; Tue, 1 Dec 2026 10:00:02 +0000',
      'Received: from BN8NAM11FT012.eop-nam11.prod.protection.outlook.com (40.107.220.51) by DM6PR11MB1234.namprd11.prod.outlook.com; Tue, 1 Dec 2026 10:00:01 +0000',
      'Received: from mail.fabrikam.com (mail.fabrikam.com [198.51.100.20]) by BN8NAM11FT012.mail.protection.outlook.com (10.13.177.1) with Microsoft SMTP Server; Tue, 1 Dec 2026 10:00:00 +0000',
    ].join('\n');
    expect(rolesOf(text).roles['sender-ip']).toBe('198.51.100.20');
    expect(isMicrosoftIp('40.107.220.51')).toBe(true);
    expect(isMicrosoftIp('52.101.68.1')).toBe(true);
    expect(isMicrosoftIp('2a01:111:f403:c100::1')).toBe(true);
    expect(isMicrosoftIp('198.51.100.20')).toBe(false);
    // Only Microsoft's servers in the rows: no sender IP at all, rather than the EOP address.
    expect(rolesOf('Received: from BN8NAM11FT012.eop-nam11.prod.protection.outlook.com ([40.107.220.51]) by x').roles['sender-ip']).toBeUndefined();
  });

  it('takes the receiving host from a queue LastError', () => {
    const { roles } = rolesOf('LastError: 451 4.4.0 Primary target IP address responded with: "421 4.4.2 Connection dropped." Attempted failover to alternate host, but that did not succeed. The last endpoint attempted was 203.0.113.9:25');
    expect(roles['receiving-host']).toBe('203.0.113.9');
  });
});

describe('a step that names its role', () => {
  const blocklist = { kind: 'dnsbl' as const, target: '{ip}', role: 'sender-ip' as const };

  it('checks the sender\'s IP, not the first public IP of the paste', () => {
    const text = "Remote Server at mx.fabrikam.com (203.0.113.25) returned '550 5.7.606 Access denied, banned sending IP [198.51.100.7]'";
    const { targets, roles } = rolesOf(text);
    expect(targets.ip).toBe('203.0.113.25');
    expect(checkRequest(blocklist, targets, { roles, answered: new Set() })).toMatchObject({ ok: true, target: '198.51.100.7' });
    // Without the role the old pick by type stands.
    expect(checkRequest({ kind: 'dnsbl', target: '{ip}' }, targets, { roles, answered: new Set() })).toMatchObject({ ok: true, target: '203.0.113.25' });
  });

  it('asks when the paste gave no value in that role, and takes what the person typed', () => {
    const targets = { ip: '40.107.220.51' };
    expect(checkRequest(blocklist, targets, { roles: {}, answered: new Set() })).toEqual({ ok: false, missing: 'ip' });
    expect(checkRequest(blocklist, { ip: '198.51.100.9' }, { roles: {}, answered: new Set(['ip']) })).toMatchObject({ ok: true, target: '198.51.100.9' });
  });
});
