// Targets: each kind parses the shape its registry row names, and toProbeTarget turns a URL, an address or host:port into it.
import { describe, expect, it } from 'vitest';
import { PROBES, PROBE_KINDS } from '../../src/probes/registry.ts';
import { TargetError, parseTarget, toProbeTarget } from '../../src/probes/target.ts';
import { PROBE_KINDS as SCHEMA_KINDS } from '../../src/catalog/schema.ts';

describe('probe kinds as registry rows', () => {
  it('derive the kind list the catalog schema uses', () => {
    expect(SCHEMA_KINDS).toEqual(Object.keys(PROBES));
    expect(PROBE_KINDS).toContain('smtp');
    for (const k of PROBE_KINDS) expect(PROBES[k].connects).toBe(['smtp', 'tls', 'http', 'ews', 'mapi', 'rpc', 'owa'].includes(k));
  });

  it('give each host-port kind its default port', () => {
    expect(parseTarget('smtp', 'mail.contoso.com').display).toBe('mail.contoso.com:25');
    expect(parseTarget('ews', 'mail.contoso.com').display).toBe('mail.contoso.com:443');
    expect(parseTarget('tls', '[2001:db8::1]:587').display).toBe('[2001:db8::1]:587');
    expect(() => parseTarget('rpc', 'https://mail.contoso.com/rpc/rpcproxy.dll')).toThrow(TargetError);
  });
});

describe('toProbeTarget', () => {
  const ok = (kind: Parameters<typeof toProbeTarget>[0], value: string) => {
    const r = toProbeTarget(kind, value);
    if (!r.ok) throw new Error(r.message);
    return r;
  };

  it('turns URLs into the host (and port) of host kinds', () => {
    expect(ok('ews', 'https://mail.contoso.com/EWS/Exchange.asmx').target).toBe('mail.contoso.com');
    expect(ok('rpc', 'https://Mail.Contoso.com:8443/rpc/rpcproxy.dll')).toMatchObject({ target: 'mail.contoso.com:8443', port: 8443 });
    expect(ok('tls', 'https://[2001:db8::5]/owa/').target).toBe('[2001:db8::5]');
    expect(ok('smtp', 'mail.contoso.com:587')).toMatchObject({ target: 'mail.contoso.com:587', port: 587 });
  });

  it('turns an e-mail address or a URL into the domain of domain kinds', () => {
    expect(ok('autodiscover', 'someone@Contoso.com')).toMatchObject({ target: 'contoso.com', note: 'the domain of someone@Contoso.com' });
    expect(ok('dns', '<mailto:someone@contoso.com>').target).toBe('contoso.com');
    expect(ok('dns', 'https://autodiscover.contoso.com/autodiscover/autodiscover.xml').target).toBe('autodiscover.contoso.com');
    expect(ok('dns', 'contoso.com.').target).toBe('contoso.com');
    expect(toProbeTarget('dns', '203.0.113.7')).toMatchObject({ ok: false });
  });

  it('makes a URL for http, never keeping credentials', () => {
    expect(ok('http', 'mail.contoso.com').target).toBe('https://mail.contoso.com/');
    expect(ok('http', 'mail.contoso.com:8080').target).toBe('https://mail.contoso.com:8080/');
    expect(ok('http', 'http://user:secret@mail.contoso.com/owa/').target).toBe('http://mail.contoso.com/owa/');
  });

  it('takes only IPs for ip kinds', () => {
    expect(ok('dnsbl', '203.0.113.7').target).toBe('203.0.113.7');
    expect(ok('ptr', 'http://[2001:db8::7]/').target).toBe('2001:db8::7');
    expect(toProbeTarget('ptr', 'mail.contoso.com')).toEqual({ ok: false, message: 'ptr takes an IP address; mail.contoso.com is a name (resolve it first)' });
  });

  it('refuses what is none of these, in bounded time', () => {
    expect(toProbeTarget('dns', 'not a host')).toMatchObject({ ok: false });
    expect(toProbeTarget('smtp', 'ftp://mail.contoso.com/')).toMatchObject({ ok: false });
    expect(toProbeTarget('smtp', 'mail.contoso.com:99999')).toMatchObject({ ok: false });
    expect(toProbeTarget('dns', '')).toMatchObject({ ok: false });
    expect(toProbeTarget('dns', `${'a-'.repeat(1000)}@`)).toMatchObject({ ok: false });
    expect(toProbeTarget('http', 'a.'.repeat(1500))).toMatchObject({ ok: false });
  });

  it('gives targets parseTarget accepts for the same kind', () => {
    for (const [kind, value] of [['ews', 'https://mail.contoso.com/EWS/Exchange.asmx'], ['autodiscover', 'a@contoso.com'], ['http', 'mail.contoso.com'], ['dnsbl', '203.0.113.7'], ['smtp', 'https://mail.contoso.com:2525/']] as const) {
      const r = ok(kind, value);
      expect(() => parseTarget(kind, r.target, r.port)).not.toThrow();
    }
  });
});
