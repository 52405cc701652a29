// A probe configuration for tests: loopback allowed, the test DNS server, short timeouts, the test CA trusted.
import { ProbeConfig } from '../../src/probes/config.ts';
import type { ProbeConfigInput } from '../../src/probes/config.ts';

export function testConfig(over: ProbeConfigInput = {}): ProbeConfig {
  return ProbeConfig.parse({
    allow: ['127.0.0.0/8', '*.test'],
    dnsServers: [],
    ...over,
    timeouts: { connectMs: 2_000, readMs: 2_000, totalMs: 10_000, dnsMs: 1_000, dnsblZoneMs: 500, slowBannerMs: 1_000, ...over.timeouts },
    limits: { maxConcurrentPerTarget: 1_000, perTargetPerMinute: 10_000, perUserPerMinute: 10_000, ...over.limits },
  });
}
