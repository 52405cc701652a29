// The escalation section of ehlo.config.yaml: where on-call is (per platform: the channel ehlo opens
// the on-call thread in, and whom it mentions there: built by the adapter from these ids, never from
// pasted text), what the handoff packet redacts beyond the defaults, and the pagers (PagerDuty Events
// API v2, a generic HMAC-SHA256 signed webhook) with the allowlist of URLs ehlo may call.
import { z } from 'zod';

const SlackId = z.string().regex(/^[CGD][A-Z0-9]{2,20}$/, 'must be a Slack channel id like C0123ABCD (channel details › About)');
const SlackMention = z
  .string()
  .regex(/^(?:S[A-Z0-9]{2,20}|[UW][A-Z0-9]{2,20}|here|channel)$/, 'must be a Slack user group id (S…), a user id (U…/W…), "here" or "channel"');

const OnCallSlack = z
  .object({
    /** The on-call channel: each escalation opens a thread there. */
    channel: SlackId.optional(),
    /** Who is mentioned in the on-call thread's first message. */
    mention: z.array(SlackMention).max(20).default([]),
  })
  .strict();

const OnCallTeams = z
  .object({
    /** The on-call channel's conversation id (19:…@thread.tacv2). */
    channel: z.string().regex(/^19:[^\s]{1,200}$/, 'must be a Teams channel id like 19:…@thread.tacv2').optional(),
    /** The team's id (the General channel's id, 19:…), sent with the new conversation; optional. */
    team: z.string().max(300).optional(),
    /** The team's Microsoft 365 group id, for deep links (groupId); optional. */
    groupId: z.uuid().optional(),
    /** The Bot Connector URL of the tenant (e.g. https://smba.trafficmanager.net/emea/); default: the one the origin thread's activities came from. */
    serviceUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Tag ids (Teams tags) to mention, or "channel" to mention the channel. */
    mention: z.array(z.string().min(1).max(200)).max(20).default([]),
    /** Display names of the tags, in the same order (Teams shows them in the mention). */
    mentionNames: z.array(z.string().min(1).max(100)).max(20).default([]),
  })
  .strict();

const Redaction = z
  .object({
    /** Domain names (and their subdomains) replaced in the packet by [domain-N]. */
    domains: z.array(z.string().regex(/^[a-z0-9.-]{3,253}$/i, 'must be a domain name')).max(200).default([]),
    /** Tenant names (*.onmicrosoft.com) and tenant ids replaced by [tenant-N]. */
    tenants: z.stringbool().or(z.boolean()).default(false),
    /** Public IPv4/IPv6 addresses replaced by [ip-N] (private ones are never an organisation's identity). */
    publicIps: z.stringbool().or(z.boolean()).default(false),
  })
  .strict();

const PagerDuty = z
  .object({
    /** The integration's routing key (Events API v2); absent = no PagerDuty paging. */
    routingKey: z.string().regex(/^[A-Za-z0-9]{20,64}$/, 'must be the 32-character integration (routing) key').optional(),
    url: z.url({ protocol: /^https?$/ }).default('https://events.pagerduty.com/v2/enqueue'),
    severity: z.enum(['critical', 'error', 'warning', 'info']).default('error'),
  })
  .strict();

const Webhook = z
  .object({
    url: z.url({ protocol: /^https?$/ }).optional(),
    /** HMAC-SHA256 key: the receiver recomputes the signature over "<timestamp>.<body>". */
    secret: z.string().min(16, 'must be at least 16 characters').optional(),
    header: z.string().regex(/^[A-Za-z0-9-]{1,64}$/).default('X-Ehlo-Signature'),
  })
  .strict();

const Paging = z
  .object({
    /** URL prefixes ehlo may send pages to (scheme, host, optional port and path); nothing else is called. */
    allow: z.array(z.url({ protocol: /^https?$/ })).max(20).default(['https://events.pagerduty.com/']),
    pagerduty: PagerDuty.prefault({}),
    webhook: Webhook.prefault({}),
    /** Attempts after the first, with exponential backoff from backoffMs (capped at 30 s). */
    retries: z.coerce.number().int().min(0).max(10).default(4),
    backoffMs: z.coerce.number().int().min(1).max(30_000).default(500),
    timeoutMs: z.coerce.number().int().min(100).max(60_000).default(5000),
  })
  .strict();

export const EscalationConfig = z
  .object({
    /** Ask before escalating (it pages people). */
    confirm: z.stringbool().or(z.boolean()).default(true),
    slack: OnCallSlack.prefault({}),
    teams: OnCallTeams.prefault({}),
    redact: Redaction.prefault({}),
    paging: Paging.prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const urls: Array<[string, string | undefined]> = [['pagerduty', c.paging.pagerduty.routingKey === undefined ? undefined : c.paging.pagerduty.url], ['webhook', c.paging.webhook.url]];
    for (const [name, url] of urls) {
      if (url && !allowed(url, c.paging.allow)) ctx.addIssue({ code: 'custom', path: ['paging', name, 'url'], message: `${url} is not under any escalation.paging.allow entry` });
    }
    if (c.paging.webhook.url && !c.paging.webhook.secret) ctx.addIssue({ code: 'custom', path: ['paging', 'webhook', 'secret'], message: 'a webhook needs a secret to sign its requests' });
  });
export type EscalationConfig = z.infer<typeof EscalationConfig>;

/** The URL is under one of the allowlisted prefixes (same scheme, host and port; path starts with the prefix's path). */
export function allowed(url: string, allow: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return allow.some((entry) => {
    try {
      const a = new URL(entry);
      return a.protocol === u.protocol && a.host === u.host && u.pathname.startsWith(a.pathname) && !u.username && !u.password;
    } catch {
      return false;
    }
  });
}
