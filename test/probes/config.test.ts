// ProbeConfig defaults and the one-run environment overrides.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { DEFAULT_DNSBL_ZONES, ProbeConfig, defaultProbeConfig } from '../../src/probes/config.ts';

/** The probes section as loadConfig reads it: a config file in an empty folder, then the environment. */
function probesFrom(env: NodeJS.ProcessEnv, fileProbes?: string) {
  const cwd = mkdtempSync(join(tmpdir(), 'ehlo-probe-config-'));
  if (fileProbes) writeFileSync(join(cwd, 'ehlo.config.yaml'), `probes:\n${fileProbes}`);
  return loadConfig({ env, cwd }).config.probes;
}

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
    const c = probesFrom(
      { EHLO_PROBE_ALLOW: ' *.Contoso.com, 127.0.0.0/8 ,fd00::/8', EHLO_DNS_SERVERS: '127.0.0.1:5353,[::1]:53,9.9.9.9' },
      "  allow: ['*']\n  dnsblZones: [zen.spamhaus.org]\n",
    );
    expect(c.allow).toEqual(['*.contoso.com', '127.0.0.0/8', 'fd00::/8']);
    expect(c.dnsServers).toEqual(['127.0.0.1:5353', '[::1]:53', '9.9.9.9']);
    expect(c.dnsblZones).toEqual(['zen.spamhaus.org']);
  });

  it('keeps the base when the variables are unset or empty', () => {
    expect(probesFrom({ EHLO_PROBE_ALLOW: '' }, '  allow: [contoso.com]\n').allow).toEqual(['contoso.com']);
  });

  it('names a bad entry', () => {
    const problems = (env: NodeJS.ProcessEnv): string => {
      try {
        probesFrom(env);
        return '';
      } catch (err) {
        return JSON.stringify((err as { problems?: unknown }).problems ?? String(err));
      }
    };
    expect(problems({ EHLO_PROBE_ALLOW: '10.0.0.0/33' })).toMatch(/allow entries are domains/);
    expect(problems({ EHLO_DNS_SERVERS: 'dns.google' })).toMatch(/DNS servers are ip or ip:port/);
    expect(() => ProbeConfig.parse({ timeouts: { totalMs: -1 } })).toThrow();
    expect(() => ProbeConfig.parse({ unknown: 1 })).toThrow();
  });
});
