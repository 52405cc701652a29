// Zones per target pattern: first match wins; `*`, `*.parent`, exact names, IPs and CIDRs; bad rules
// are refused with the setting named; with no zone matching, the probe runs in this process.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { InProcessExecutor } from '../../src/probes/executor.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import { RunnersConfig, zoneMapOf } from '../../src/runner/config.ts';
import { QueueExecutor } from '../../src/runner/queue-executor.ts';
import { parseZoneRule, ZoneMap } from '../../src/runner/zones.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { startSmtp } from '../helpers/smtp.ts';

describe('zones', () => {
  const map = new ZoneMap(['*.corp.contoso.com=dmz', '10.0.0.0/8 → lab', 'mail.contoso.com->edge2', '*=edge'].map((r) => parseZoneRule(r) as { pattern: string; zone: string }));

  it('routes by the first matching pattern', () => {
    expect(map.zoneOf('ex01.corp.contoso.com')).toBe('dmz');
    expect(map.zoneOf('EX01.Corp.Contoso.com.')).toBe('dmz');
    expect(map.zoneOf('corp.contoso.com')).toBe('edge');
    expect(map.zoneOf('10.1.2.3')).toBe('lab');
    expect(map.zoneOf('mail.contoso.com')).toBe('edge2');
    expect(map.zoneOf('203.0.113.9')).toBe('edge');
    expect(map.zones).toEqual(['dmz', 'lab', 'edge2', 'edge']);
  });

  it('leaves targets no pattern matches to this process', () => {
    const only = new ZoneMap([parseZoneRule('*.corp.contoso.com=dmz') as { pattern: string; zone: string }]);
    expect(only.zoneOf('contoso.com')).toBeUndefined();
    expect(new ZoneMap([]).empty).toBe(true);
  });

  it('refuses rules that are not pattern=zone', () => {
    expect(parseZoneRule('dmz')).toMatch(/is not pattern=zone/);
    expect(parseZoneRule('*.x.com=DMZ.1')).toMatch(/zone "dmz.1" must be/);
    expect(parseZoneRule('a b=c')).toMatch(/not pattern=zone/);
    expect(parseZoneRule('10.0.0.0/99=lab')).toMatch(/not a target pattern/);
  });

  it('reads EHLO_PROBE_ZONES and names the variable when a rule is wrong', () => {
    const ok = loadConfig({ env: { EHLO_PROBE_ZONES: '*.corp.contoso.com=dmz, *=edge', DATABASE_URL: 'postgres://ehlo@db:5432/ehlo' }, cwd: '/nonexistent' });
    expect(zoneMapOf(ok.config.runners).zoneOf('a.corp.contoso.com')).toBe('dmz');
    expect(ok.config.runners.schema).toBe('pgboss');
    expect(() => loadConfig({ env: { EHLO_PROBE_ZONES: 'nonsense' }, cwd: '/nonexistent' })).toThrow(ConfigError);
    try {
      loadConfig({ env: { EHLO_PROBE_ZONES: 'nonsense' }, cwd: '/nonexistent' });
    } catch (err) {
      expect((err as ConfigError).problems[0]).toMatchObject({ source: 'environment EHLO_PROBE_ZONES', setting: 'runners.zones[0]' });
    }
    // Zones need the PostgreSQL queue.
    expect(() => loadConfig({ env: { EHLO_PROBE_ZONES: '*=edge' }, cwd: '/nonexistent' })).toThrow(/runners\.zones: zones send probes to runners through a PostgreSQL queue/);
  });

  it('runs a probe whose target no zone matches in this process, without touching the queue', async () => {
    const smtp = await startSmtp();
    const executor = new QueueExecutor({
      url: 'postgres://nobody@127.0.0.1:1/none',
      runners: RunnersConfig.parse({ zones: ['*.corp.contoso.com=dmz'] }),
      zones: zoneMapOf(RunnersConfig.parse({ zones: ['*.corp.contoso.com=dmz'] })),
      local: new InProcessExecutor(testConfig(), new ProbeLimiter()),
      logger: pino({ level: 'silent' }),
    });
    try {
      const result = await executor.run({ kind: 'smtp', target: `127.0.0.1:${smtp.port}` });
      expect(result.transcript.join('\n')).toMatch(/^S: 220 /m);
      expect(result.transcript.join('\n')).not.toMatch(/probed by runner/);
    } finally {
      await executor.close();
      await smtp.close();
    }
  });
});
