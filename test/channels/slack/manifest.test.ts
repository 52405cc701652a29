// The Slack app manifests in slack/ have the documented shape and everything the channel needs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestProblems, REQUIRED_BOT_EVENTS, REQUIRED_BOT_SCOPES } from '../../../src/channels/slack/manifest.ts';

function load(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../slack/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

describe('Slack app manifests', () => {
  it.each(['manifest.http.json', 'manifest.socket.json'])('%s fits the schema and the channel', (name) => {
    expect(manifestProblems(load(name))).toEqual([]);
  });

  it('HTTP mode points events, interactivity and /ehlo at /slack/events; Socket Mode at nothing', () => {
    const http = load('manifest.http.json') as { settings: { socket_mode_enabled: boolean; event_subscriptions: { request_url: string }; interactivity: { request_url: string } } };
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(new URL(http.settings.event_subscriptions.request_url).pathname).toBe('/slack/events');
    const socket = load('manifest.socket.json') as { settings: { socket_mode_enabled: boolean; event_subscriptions: { request_url?: string } } };
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.settings.event_subscriptions.request_url).toBeUndefined();
  });

  it('finds what is wrong with a manifest that does not fit', () => {
    const m = load('manifest.http.json') as { display_information: { name: string }; oauth_config: { scopes: { bot: string[] } }; settings: { event_subscriptions: { bot_events: string[]; request_url: string }; socket_mode_enabled: boolean }; unknown?: boolean };
    m.display_information.name = 'x'.repeat(36);
    expect(manifestProblems(m)).toEqual([expect.stringMatching(/^display_information\.name: /)]);
    m.display_information.name = 'ehlo';
    m.oauth_config.scopes.bot = m.oauth_config.scopes.bot.filter((s) => s !== REQUIRED_BOT_SCOPES[7]);
    m.settings.event_subscriptions.bot_events = m.settings.event_subscriptions.bot_events.filter((e) => e !== REQUIRED_BOT_EVENTS[0]);
    m.settings.event_subscriptions.request_url = 'https://ehlo.example.com/events';
    m.settings.socket_mode_enabled = false;
    expect(manifestProblems(m)).toEqual([
      'oauth_config.scopes.bot: missing files:read',
      'settings.event_subscriptions.bot_events: missing app_mention',
      'settings.event_subscriptions.request_url: must end in /slack/events (events, commands and interactivity share one endpoint)',
    ]);
    expect(manifestProblems({ ...m, unknown: true })).toEqual([expect.stringMatching(/Unrecognized key/)]);
    m.settings.socket_mode_enabled = true;
    expect(manifestProblems(m).filter((p) => p.includes('Socket Mode takes no request URL'))).toHaveLength(3);
  });
});
