// ProbeConfig defaults and the one-run environment overrides.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DNSBL_ZONES, ProbeConfig, defaultProbeConfig, probeConfigFromEnv } from '../../src/probes/config.ts';

describe('ProbeConfig', () => {
  it('has safe defaults', () => {
    const c = defaultProbeConfig();
    expect(c.allow).toEqual([]);
    expect(c.dnsServers).toEqual([]);
    expect(c.dnsblZones).toEqual(DEFAULT_DNSBL_ZONES);
    expect(c.timeouts.totalMs).toBe(30_000);
    expect(c.limits.maxBytes).toBe(262_144);
  });

  it('EHLO_PROBE_ALLOW and EHLO_DNS_SERVERS replace the lists for one run', () => {
    const c = probeConfigFromEnv(
      { EHLO_PROBE_ALLOW: ' *.Contoso.com, 127.0.0.0/8 ,fd00::/8', EHLO_DNS_SERVERS: '127.0.0.1:5353,[::1]:53,9.9.9.9' },
      { allow: ['*'], dnsblZones: ['zen.spamhaus.org'] },
    );
    expect(c.allow).toEqual(['*.contoso.com', '127.0.0.0/8', 'fd00::/8']);
    expect(c.dnsServers).toEqual(['127.0.0.1:5353', '[::1]:53', '9.9.9.9']);
    expect(c.dnsblZones).toEqual(['zen.spamhaus.org']);
  });

  it('keeps the base when the variables are unset or empty', () => {
    expect(probeConfigFromEnv({ EHLO_PROBE_ALLOW: '' }, { allow: ['contoso.com'] }).allow).toEqual(['contoso.com']);
  });

  it('names a bad entry', () => {
    expect(() => probeConfigFromEnv({ EHLO_PROBE_ALLOW: '10.0.0.0/33' })).toThrow(/allow entries are domains/);
    expect(() => probeConfigFromEnv({ EHLO_DNS_SERVERS: 'dns.google' })).toThrow(/DNS servers are ip or ip:port/);
    expect(() => ProbeConfig.parse({ timeouts: { totalMs: -1 } })).toThrow();
    expect(() => ProbeConfig.parse({ unknown: 1 })).toThrow();
  });
});
