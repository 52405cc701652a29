// The route a Teams reply goes to, as kept with its outbox row (Sink.address) for another replica.
import { describe, expect, it } from 'vitest';
import { decodeRoute, encodeRoute } from '../../../src/channels/teams/outbox.ts';

describe('Teams outbox routes', () => {
  it('come back as they were written', () => {
    const route = { thread: 'teams:t1', serviceUrl: 'https://smba.trafficmanager.net/emea/', conversationId: '19:general@thread.tacv2;messageid=1699', replyToId: '1699' };
    expect(decodeRoute('teams:t1', encodeRoute(route))).toEqual(route);
    const { replyToId: _omit, ...plain } = route;
    expect(decodeRoute('teams:t1', encodeRoute(plain))).toEqual(plain);
  });

  it('are refused when malformed or oversized, so the channel falls back to what it knows', () => {
    for (const bad of [undefined, '', 'not json', '{"s":1,"c":"x"}', '{"s":"https://a/"}', JSON.stringify({ s: 'https://a/', c: 'x'.repeat(401) }), JSON.stringify({ s: `https://${'a'.repeat(1001)}/`, c: 'x' }), `{"s":"https://a/","c":"x","pad":"${'p'.repeat(3000)}"}`]) {
      expect(decodeRoute('teams:t1', bad)).toBeUndefined();
    }
    expect(decodeRoute('teams:t1', JSON.stringify({ s: 'https://a/', c: 'x', r: 'y'.repeat(501) }))).toEqual({ thread: 'teams:t1', serviceUrl: 'https://a/', conversationId: 'x' });
  });
});
