import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();

describe('an SMTP port glued to an address keeps a connection failure a mail question', () => {
  it('Haraka timing out to IP:25 is a failed SMTP connection', () => {
    const r = matcher.match('[core] [outbound] Failed to get pool entry: Outbound connection timed out to 173.194.219.27:25');
    expect(r.verdict).toBe('match');
    expect(r.matches[0]?.topics).toContain('connection-failed');
  });

  it('a clock time is no port: a cluster timeout logged at 10:25 stays outside mail', () => {
    const r = matcher.match('2024-03-01 10:25 kubelet: dial tcp 10.0.0.1:8443: i/o timeout, connection timed out');
    expect(r.verdict).toBe('none');
  });
});
