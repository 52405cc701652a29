// Our own zod schema of the Slack app manifest fields ehlo's manifests use (the documented fields,
// with their documented limits: https://docs.slack.dev/reference/app-manifest), and what ehlo needs
// of a manifest: the bot scopes and events its listeners rely on, the /ehlo command, interactivity,
// and request URLs on POST /slack/events (HTTP) or none at all (Socket Mode).
import { z } from 'zod';

const HttpsUrl = z.url({ protocol: /^https$/, error: 'must be a full https URL' });

const SlashCommand = z
  .object({
    command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/, 'must be a / and at most 31 lowercase letters, digits, - or _'),
    description: z.string().min(1).max(2000),
    usage_hint: z.string().max(1000).optional(),
    should_escape: z.boolean().optional(),
    url: HttpsUrl.optional(),
  })
  .strict();

export const SlackManifest = z
  .object({
    _metadata: z.object({ major_version: z.number().int().min(1).max(2).optional(), minor_version: z.number().int().min(0).optional() }).strict().optional(),
    display_information: z
      .object({
        name: z.string().min(1).max(35),
        description: z.string().max(140).optional(),
        long_description: z.string().min(174).max(4000).optional(),
        background_color: z.string().regex(/^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$/, 'must be a hex colour like #1d3c5a').optional(),
      })
      .strict(),
    features: z
      .object({
        app_home: z.object({ home_tab_enabled: z.boolean().optional(), messages_tab_enabled: z.boolean().optional(), messages_tab_read_only_enabled: z.boolean().optional() }).strict().optional(),
        bot_user: z.object({ display_name: z.string().regex(/^[a-z0-9._-]{1,80}$/, 'only a-z, 0-9, -, _ and . (at most 80)'), always_online: z.boolean().optional() }).strict().optional(),
        slash_commands: z.array(SlashCommand).max(50).optional(),
        unfurl_domains: z.array(z.string()).max(5).optional(),
      })
      .strict()
      .optional(),
    oauth_config: z
      .object({
        redirect_urls: z.array(HttpsUrl).max(1000).optional(),
        scopes: z.object({ bot: z.array(z.string().regex(/^[a-z_.]+:[a-z_.]+$|^commands$|^[a-z_]+$/)).max(255).optional(), user: z.array(z.string()).max(255).optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    settings: z
      .object({
        allowed_ip_address_ranges: z.array(z.string()).max(50).optional(),
        event_subscriptions: z.object({ request_url: HttpsUrl.optional(), bot_events: z.array(z.string().regex(/^[a-z_]+(?:\.[a-z_]+)?$/)).max(100).optional(), user_events: z.array(z.string()).max(100).optional() }).strict().optional(),
        interactivity: z.object({ is_enabled: z.boolean(), request_url: HttpsUrl.optional(), message_menu_options_url: HttpsUrl.optional() }).strict().optional(),
        org_deploy_enabled: z.boolean().optional(),
        socket_mode_enabled: z.boolean().optional(),
        token_rotation_enabled: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type SlackManifest = z.infer<typeof SlackManifest>;

/** What the channel's listeners need (channel.ts, files.ts, users.ts). */
export const REQUIRED_BOT_SCOPES = ['app_mentions:read', 'channels:history', 'groups:history', 'im:history', 'mpim:history', 'chat:write', 'commands', 'files:read', 'users:read'] as const;
export const REQUIRED_BOT_EVENTS = ['app_mention', 'message.channels', 'message.groups', 'message.im', 'message.mpim'] as const;
export const EVENTS_PATH = '/slack/events';

/** Problems with a manifest for ehlo, beyond its shape: an empty list means it fits. */
export function manifestProblems(input: unknown): string[] {
  const parsed = SlackManifest.safeParse(input);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const m = parsed.data;
  const problems: string[] = [];
  const scopes = new Set(m.oauth_config?.scopes?.bot ?? []);
  for (const s of REQUIRED_BOT_SCOPES) if (!scopes.has(s)) problems.push(`oauth_config.scopes.bot: missing ${s}`);
  const events = new Set(m.settings?.event_subscriptions?.bot_events ?? []);
  for (const e of REQUIRED_BOT_EVENTS) if (!events.has(e)) problems.push(`settings.event_subscriptions.bot_events: missing ${e}`);
  const ehlo = m.features?.slash_commands?.find((c) => c.command === '/ehlo');
  if (!ehlo) problems.push('features.slash_commands: no /ehlo command');
  if (!m.settings?.interactivity?.is_enabled) problems.push('settings.interactivity.is_enabled: must be true (buttons)');
  if (!m.features?.bot_user) problems.push('features.bot_user: needed for a bot token');
  const socket = m.settings?.socket_mode_enabled === true;
  const urls = [
    ['settings.event_subscriptions.request_url', m.settings?.event_subscriptions?.request_url],
    ['settings.interactivity.request_url', m.settings?.interactivity?.request_url],
    ['features.slash_commands[/ehlo].url', ehlo?.url],
  ] as const;
  for (const [where, url] of urls) {
    if (socket && url) problems.push(`${where}: Socket Mode takes no request URL`);
    if (!socket && !url) problems.push(`${where}: HTTP mode needs the request URL (https://<your host>${EVENTS_PATH})`);
    if (!socket && url && new URL(url).pathname !== EVENTS_PATH) problems.push(`${where}: must end in ${EVENTS_PATH} (events, commands and interactivity share one endpoint)`);
  }
  return problems;
}
