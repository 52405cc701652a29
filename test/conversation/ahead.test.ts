// A paste is diagnosed while the thread lock is asked for (core.ts, the store's `meanwhile`), before
// the thread's state is read: once per paste when the thread stated no Exchange version, and again,
// with the version, when it did (so the answer is the one it would have been without the head start).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryCheck, Meanwhile, Prefetched } from '../../src/conversation/state/locks.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { Matcher } from '../../src/match/matcher.ts';
import type { MatchOptions, MatchResult } from '../../src/match/types.ts';
import { createStore } from '../../src/store/create.ts';
import type { Store } from '../../src/store/store.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { corpusPaste, DNS_NDR_ID, harness, type Harness } from './helpers.ts';

/** The real matcher, noting each call and whether the thread's work had begun by then. */
class NotingMatcher extends Matcher {
  readonly calls: Array<{ versions: number; inWork: boolean }> = [];
  inWork = false;

  override match(input: string, options?: MatchOptions): MatchResult {
    this.calls.push({ versions: options?.versions?.length ?? 0, inWork: this.inWork });
    return super.match(input, options);
  }
}

let dir: string;
let store: Store;
let matcher: NotingMatcher;
let h: Harness;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ehlo-ahead-'));
  store = createStore({ sqlitePath: join(dir, 'ehlo.sqlite') });
  matcher = new NotingMatcher(defaultMatcher().catalog);
  // The store's lock, noting when the guarded work begins and ends.
  const locks = {
    withThreadLock: <T>(thread: string, work: (p?: Prefetched) => Promise<T>, delivery?: DeliveryCheck, meanwhile?: Meanwhile): Promise<T> =>
      store.withThreadLock(thread, async (p) => {
        matcher.inWork = true;
        try {
          return await work(p);
        } finally {
          matcher.inWork = false;
        }
      }, delivery, meanwhile),
  };
  const noted = new Proxy(store, {
    get: (s, prop) => {
      if (prop === 'withThreadLock') return locks.withThreadLock;
      const v = Reflect.get(s, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(s) : v;
    },
  });
  h = harness(noted, testConfig({ allow: ['127.0.0.0/8'] }), undefined, undefined, { matcher });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a paste diagnosed ahead of its thread lock', () => {
  it('is matched once, before the thread is held, and answered from that diagnosis', async () => {
    await h.say(corpusPaste(DNS_NDR_ID));
    expect(matcher.calls).toEqual([{ versions: 0, inWork: false }]);
    expect(h.sink.freshText()).toMatch(/DNS/);
  });

  it('is worked out for the match command too', async () => {
    await h.say(`match ${corpusPaste(DNS_NDR_ID)}`);
    expect(matcher.calls).toEqual([{ versions: 0, inWork: false }]);
    expect(h.sink.freshText()).toMatch(/DNS/);
  });

  it('is matched again, holding the thread, with the version the thread stated', async () => {
    await h.say('FYI we are on Exchange Online');
    matcher.calls.length = 0;
    h.sink.fresh();
    await h.say('Outlook keeps prompting for credentials all day long');
    expect(matcher.calls).toEqual([{ versions: 0, inWork: false }, { versions: 1, inWork: true }]);
    expect(h.sink.freshText().replace(/\s+/g, ' ')).toMatch(/Does not apply to Exchange Online \(the version stated earlier in this thread\)/);
  });

  it('is not worked out for a command', async () => {
    await h.say('help');
    expect(matcher.calls).toEqual([]);
  });
});
