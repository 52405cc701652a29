import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();
const top = (text: string) => {
  const r = matcher.match(text);
  return { verdict: r.verdict, first: r.matches[0]?.playbook };
};

describe('a bare enhanced status code says what it means', () => {
  it('4.4.7 alone, in an NDR line or an article, is a message that expired in the queue', () => {
    expect(top("Remote Server returned '4.4.7'")).toEqual({ verdict: 'match', first: 'queue-message-expired' });
    expect(top('Wenn der DSN-Fehlercode 4.4.7 angezeigt wird, was bedeutet das?')).toMatchObject({ first: 'queue-message-expired' });
  });

  it('a delay report, which carries 4.4.7 while the server still tries, stays a delay', () => {
    expect(top('Delivery has been delayed to these recipients or groups. 400 4.4.7 Message delayed')).toEqual({ verdict: 'match', first: 'delivery-delayed-dsn' });
  });
});
