// Targets carry their role, read from where they sit in the paste; a step that names a role gets that
// value or asks, never a value the paste gave another role (the EOP address for "the sender's IP").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import type { Step } from '../../src/catalog/schema.ts';
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

/** A real paste from the fixtures (test/fixtures/cases), by id. */
function fixture(file: string, id: string): string {
  const line = readFileSync(new URL(`../fixtures/cases/${file}.jsonl`, import.meta.url), 'utf8').split('\n').find((l) => l.includes(`"id": "${id}"`));
  if (!line) throw new Error(`no case ${id} in ${file}`);
  return (JSON.parse(line) as { text: string }).text;
}

const catalog = loadCatalog();
function stepProbe(playbook: string, step: string): NonNullable<Step['probe']> {
  const probe = catalog.playbookById.get(playbook)?.steps.find((s) => s.id === step)?.probe;
  if (!probe) throw new Error(`no probe step ${playbook}/${step}`);
  return probe;
}

describe('roles read from real pastes, and the steps that name them', () => {
  it('takes the receiving host from an Exchange Online NDR\'s LastAttemptedServerName, and the TLS check of the forced-TLS playbook uses it', () => {
    const { targets, roles } = rolesOf(fixture('transport', 'tr-tls-channel-untrusted-or-invalid-2'));
    expect(roles['receiving-host']).toBe('email.domain.com');
    expect(checkRequest(stepProbe('transport-tls-certificate-invalid', 'probe-tls'), targets, { roles, answered: new Set() })).toMatchObject({ ok: true, kind: 'tls', target: 'email.domain.com:25' });
  });

  it('takes the connector host from where Exchange Online\'s outbound connector delivered (OutboundProxyTargetHostName)', () => {
    const { targets, roles } = rolesOf(fixture('seeds', 'xostmoen-4-7-320-subjectmismatch'));
    expect(roles).toMatchObject({ 'connector-host': 'mail.contoso.com', 'receiving-host': 'mail.contoso.com' });
    // The private LastAttemptedIP / OutboundProxyTargetIP (172.16.254.1) is never taken.
    expect(Object.values(roles)).not.toContain('172.16.254.1');
    expect(checkRequest(stepProbe('exo-hybrid-deferred-not-resubmitted', 'probe-onprem-certificate'), targets, { roles, answered: new Set() })).toMatchObject({ ok: true, target: 'mail.contoso.com:25' });
    // A connector's SmartHosts line (Get-OutboundConnector output) says the same.
    expect(rolesOf('Name       : To on-premises\nSmartHosts : {hybrid.fabrikam.com}\nTlsDomain  : hybrid.fabrikam.com').roles['connector-host']).toBe('hybrid.fabrikam.com');
  });

  it('takes the client endpoint from the host of a URL to an Exchange client path, for the client checks', () => {
    const rpc = rolesOf(fixture('seeds', 'seed003-rpcping-backend-hangs'));
    expect(rpc.roles['client-endpoint']).toBe('mail.giodivine.com');
    expect(checkRequest(stepProbe('outlook-anywhere-rpc-connectivity', 'probe-rpc-proxy'), rpc.targets, { roles: rpc.roles, answered: new Set() })).toMatchObject({ ok: true, kind: 'rpc', target: 'mail.giodivine.com' });
    const redirect = rolesOf(fixture('clients', 'clients-autodiscover-redirect-allow-website-kb2480582'));
    expect(redirect.roles['client-endpoint']).toBe('mail.cpandl.com');
    expect(rolesOf('ExternalHostname : owa.fabrikam.com\nInternalHostname : ex01.fabrikam.local').roles['client-endpoint']).toBe('owa.fabrikam.com');
  });

  it('asks for the role a client check needs when the paste names only a host in another role', () => {
    // An NDR names the remote server; the EWS check wants the client endpoint, so it asks rather than probe the mail server.
    const { targets, roles } = rolesOf("Remote Server at mx.fabrikam.com (203.0.113.25) returned '550 5.1.1 User unknown'");
    expect(targets.host).toBe('mx.fabrikam.com');
    expect(checkRequest(stepProbe('ews-endpoint-unreachable', 'probe-ews'), targets, { roles, answered: new Set() })).toEqual({ ok: false, missing: 'host' });
  });
});
