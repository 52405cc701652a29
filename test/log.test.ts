// Logs: JSON or readable, and scrubbed on the way in: no paste text, no e-mail local parts, no tokens.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleLogger, createLogger, scrub } from '../src/log.ts';

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let out = '';
  stream.setEncoding('utf8').on('data', (d: string) => (out += d));
  return { stream, text: () => out };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ehlo-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createLogger', () => {
  it('writes JSON lines with paste text censored and addresses and tokens redacted everywhere', () => {
    const { stream, text } = collect();
    const log = createLogger({ level: 'info', format: 'json' }, { stream });
    log.info({ thread: 'slack:C1:1', text: 'Delivery has failed to jane@contoso.com', detail: { paste: 'secret paste', to: 'bob@fabrikam.com' } }, 'matched a paste from jane@contoso.com');
    log.warn({ err: new Error('connect failed for postgres://ehlo:pw123@db/ehlo with Bearer abcdefghijklmnop') }, 'token xoxb-1111-2222-3333 rejected');
    log.debug('not at this level');
    const lines = text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ thread: 'slack:C1:1', text: '[redacted]', detail: { paste: '[redacted]', to: '[email]@fabrikam.com' }, msg: 'matched a paste from [email]@contoso.com' });
    expect(lines[1]?.msg).toBe('token [token] rejected');
    expect(lines[1]?.err).toMatchObject({ type: 'Error', message: expect.stringContaining('postgres://[credentials]@db/ehlo') });
    const all = text();
    expect(all).not.toMatch(/jane@|bob@|secret paste|Delivery has failed|pw123|abcdefghijklmnop|xoxb-1111/);
    expect(all).toContain('postgres://[credentials]@db/ehlo');
  });

  it('writes readable lines in pretty format, without colour when not on a terminal', () => {
    const { stream, text } = collect();
    const log = createLogger({ level: 'info', format: 'pretty' }, { stream });
    log.info({ thread: 'console:local:main' }, 'console started for ops@contoso.com');
    expect(text()).toMatch(/INFO.*console started for \[email\]@contoso\.com/);
    expect(text()).toContain('thread: "console:local:main"');
    expect(text()).not.toContain('\u001b');
    expect(text().trim().startsWith('{')).toBe(false);
  });
});

describe('scrub', () => {
  it('copies nested values with strings redacted, bounded in depth and breadth', () => {
    const deep = { a: { b: { c: { d: { e: { f: 'x' } } } } } };
    expect(scrub(deep)).toEqual({ a: { b: { c: { d: { e: '[deep object]' } } } } });
    expect((scrub(Array.from({ length: 500 }, () => 'a@b.com')) as unknown[]).length).toBe(50);
  });
});

describe('consoleLogger', () => {
  it('logs to a file, not the terminal', () => {
    const file = join(dir, 'logs', 'ehlo.log');
    const { logger, where } = consoleLogger({ level: 'info', format: 'auto', file });
    logger.info({ user: 'x@contoso.com' }, 'hello');
    expect(where).toBe(file);
    expect(JSON.parse(readFileSync(file, 'utf8').trim())).toMatchObject({ msg: 'hello', user: '[email]@contoso.com' });
  });

  it('falls back to one-line errors on stderr, and says why, when the file cannot be written', () => {
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    const { logger, where } = consoleLogger({ level: 'info', format: 'json', file: join(dir, 'blocker', 'ehlo.log') });
    expect(where).toMatch(/^not written \(cannot write .*blocker.*ehlo\.log: E[A-Z]+\); errors are shown here$/);
    expect(logger.level).toBe('error');
  });
});
