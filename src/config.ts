// ehlo's configuration: one YAML file (ehlo.config.yaml, or the path in --config / EHLO_CONFIG) with
// sections for the store, the probes, logging, the console and the chat platforms, and environment
// variables on top. Validated with zod; every problem names the setting and where it came from
// ("ehlo.config.yaml › probes.timeouts.totalMs" or "environment EHLO_LOG_LEVEL").
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ProbeConfig } from './probes/config.ts';
import { EscalationConfig } from './escalation/config.ts';
import { PermissionsConfig } from './permissions/policy.ts';
import { RunnersConfig } from './runner/config.ts';

export const DEFAULT_CONFIG_FILE = 'ehlo.config.yaml';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const StoreSection = z
  .object({
    /** postgres://… selects PostgreSQL (several replicas); absent selects SQLite. */
    databaseUrl: z.string().regex(/^postgres(?:ql)?:\/\/\S+$/, 'must be a PostgreSQL URL like postgres://user@host:5432/ehlo').optional(),
    /** PostgreSQL schema for ehlo's tables. */
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be lowercase letters, digits and underscores (a PostgreSQL schema name)').optional(),
    /** SQLite file (default data/ehlo.sqlite). */
    sqlitePath: z.string().min(1).optional(),
    /** PostgreSQL connections for queries and commits, per process (default 10). */
    poolSize: z.coerce.number().int().min(1).max(200).optional(),
    /** PostgreSQL connections that hold thread locks, per process (default 20): the threads one process can work on at once. */
    lockPoolSize: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

const LoggingSection = z
  .object({
    level: z.enum(LOG_LEVELS).default('info'),
    /** auto: readable on a terminal, JSON otherwise. */
    format: z.enum(['auto', 'json', 'pretty']).default('auto'),
    /** Write logs to this file (the console channel's default is data/ehlo.log). */
    file: z.string().min(1).optional(),
  })
  .strict();

const ConsoleSection = z
  .object({
    /** The console's thread name: a console restarted with the same name resumes its walkthrough. */
    thread: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores').default('main'),
    /** Your name in walkthrough timelines (default: the login name). */
    user: z.string().min(1).max(80).optional(),
  })
  .strict();

/** The HTTP server the chat channels share (POST /slack/events, POST /api/messages, /livez, /readyz, /metrics). */
const ServerSection = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Interface to listen on. */
    host: z.string().min(1).default('0.0.0.0'),
  })
  .strict();

/** Slack: a bot token with a signing secret (HTTP events) or an app-level token (Socket Mode). */
const SlackSection = z
  .object({
    botToken: z.string().regex(/^xoxb-/, 'must be a bot token starting with xoxb-').optional(),
    appToken: z.string().regex(/^xapp-/, 'must be an app-level token starting with xapp-').optional(),
    signingSecret: z.string().regex(/^[0-9a-f]{16,128}$/i, 'must be the hexadecimal signing secret from the Slack app settings').optional(),
    /** Slack's Web API base URL (GovSlack, tests); nothing else in the code names a Slack host. */
    apiUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://slack.com/api/' }).default('https://slack.com/api/'),
  })
  .strict();

const TeamsSection = z
  .object({
    appId: z.uuid('must be the Microsoft app id (a GUID)').optional(),
    appPassword: z.string().min(1).optional(),
    tenantId: z.string().min(1).optional(),
    /** Entra authority whose OpenID keys sign tokens that are not the Bot Framework's (tests: a loopback JWKS). */
    authority: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://login.microsoftonline.com' }).default('https://login.microsoftonline.com'),
    /** Public host name of ehlo's HTTPS endpoint (the app package's validDomains; `npm run manifest`). */
    publicHost: z.string().regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i, 'must be a host name like ehlo.contoso.com').optional(),
    /** Development mode: /api/messages without authentication, for local tools and tests. Refused when NODE_ENV=production. */
    dev: z.stringbool().or(z.boolean()).default(false),
  })
  .strict();

export const EhloConfig = z
  .object({
    store: StoreSection.prefault({}),
    probes: ProbeConfig.prefault({}),
    logging: LoggingSection.prefault({}),
    console: ConsoleSection.prefault({}),
    server: ServerSection.prefault({}),
    slack: SlackSection.prefault({}),
    teams: TeamsSection.prefault({}),
    escalation: EscalationConfig.prefault({}),
    permissions: PermissionsConfig.prefault({}),
    runners: RunnersConfig.prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.runners.zones.length && !c.runners.databaseUrl && !c.store.databaseUrl) {
      ctx.addIssue({ code: 'custom', path: ['runners', 'zones'], message: 'zones send probes to runners through a PostgreSQL queue: set DATABASE_URL (or runners.databaseUrl), or remove the zones to probe in this process' });
    }
  });
export type EhloConfig = z.infer<typeof EhloConfig>;

/** Environment variables and the setting each one overrides. */
export const ENV_SETTINGS: ReadonlyArray<{ name: string; path: readonly string[]; list?: true; doc: string }> = [
  { name: 'DATABASE_URL', path: ['store', 'databaseUrl'], doc: 'PostgreSQL URL; unset means SQLite' },
  { name: 'EHLO_DB_SCHEMA', path: ['store', 'schema'], doc: 'PostgreSQL schema (default public)' },
  { name: 'EHLO_DB_POOL', path: ['store', 'poolSize'], doc: 'PostgreSQL connections for queries per process (default 10)' },
  { name: 'EHLO_DB_LOCK_POOL', path: ['store', 'lockPoolSize'], doc: 'PostgreSQL connections holding thread locks per process (default 20)' },
  { name: 'EHLO_SQLITE_PATH', path: ['store', 'sqlitePath'], doc: 'SQLite file (default data/ehlo.sqlite)' },
  { name: 'EHLO_PROBE_ALLOW', path: ['probes', 'allow'], list: true, doc: 'comma-separated domains, *.domains and CIDRs that may be probed (default: none, so nothing is probed until you allow targets; * allows any public target)' },
  { name: 'EHLO_PROBE_ZONES', path: ['runners', 'zones'], list: true, doc: 'comma-separated pattern=zone rules, first match wins (e.g. *.corp.contoso.com=dmz,*=edge): those targets are probed by ehlo runner --zone ZONE; unset: probes run in the replica' },
  { name: 'EHLO_QUEUE_SCHEMA', path: ['runners', 'schema'], doc: 'PostgreSQL schema of the probe job queue (pg-boss; default pgboss)' },
  { name: 'EHLO_QUEUE_DATABASE_URL', path: ['runners', 'databaseUrl'], doc: 'PostgreSQL URL of the probe job queue (default DATABASE_URL)' },
  { name: 'EHLO_DNS_SERVERS', path: ['probes', 'dnsServers'], list: true, doc: 'comma-separated resolvers ip[:port] (default: the system\'s)' },
  { name: 'EHLO_LOG_LEVEL', path: ['logging', 'level'], doc: `${LOG_LEVELS.join(', ')} (default info)` },
  { name: 'EHLO_LOG_FORMAT', path: ['logging', 'format'], doc: 'auto, json or pretty (default auto)' },
  { name: 'EHLO_LOG_FILE', path: ['logging', 'file'], doc: 'log file (console default data/ehlo.log)' },
  { name: 'EHLO_CONSOLE_THREAD', path: ['console', 'thread'], doc: 'console thread name (default main)' },
  { name: 'EHLO_USER', path: ['console', 'user'], doc: 'your name in timelines (default: login name)' },
  { name: 'PORT', path: ['server', 'port'], doc: 'HTTP port of the chat channels (default 3000)' },
  { name: 'EHLO_HTTP_HOST', path: ['server', 'host'], doc: 'interface the HTTP server listens on (default 0.0.0.0)' },
  { name: 'SLACK_BOT_TOKEN', path: ['slack', 'botToken'], doc: 'Slack bot token (xoxb-…)' },
  { name: 'SLACK_APP_TOKEN', path: ['slack', 'appToken'], doc: 'Slack app-level token for Socket Mode (xapp-…)' },
  { name: 'SLACK_SIGNING_SECRET', path: ['slack', 'signingSecret'], doc: 'Slack signing secret' },
  { name: 'SLACK_API_URL', path: ['slack', 'apiUrl'], doc: 'Slack Web API base URL (default https://slack.com/api/)' },
  { name: 'TEAMS_APP_ID', path: ['teams', 'appId'], doc: 'Microsoft app id of the Teams bot' },
  { name: 'TEAMS_APP_PASSWORD', path: ['teams', 'appPassword'], doc: 'its client secret' },
  { name: 'TEAMS_TENANT_ID', path: ['teams', 'tenantId'], doc: 'tenant of a single-tenant bot' },
  { name: 'TEAMS_AUTHORITY', path: ['teams', 'authority'], doc: 'Entra authority for token keys (default https://login.microsoftonline.com)' },
  { name: 'TEAMS_PUBLIC_HOST', path: ['teams', 'publicHost'], doc: 'public host name of the bot endpoint, for npm run manifest' },
  { name: 'EHLO_TEAMS_DEV', path: ['teams', 'dev'], doc: '1: Teams endpoint without authentication, for local tools (refused with NODE_ENV=production)' },
  { name: 'EHLO_ONCALL_SLACK_CHANNEL', path: ['escalation', 'slack', 'channel'], doc: 'Slack on-call channel id (escalation.slack.channel)' },
  { name: 'EHLO_PAGE_ALLOW', path: ['escalation', 'paging', 'allow'], list: true, doc: 'comma-separated URL prefixes pages may go to (escalation.paging.allow)' },
  { name: 'PAGERDUTY_ROUTING_KEY', path: ['escalation', 'paging', 'pagerduty', 'routingKey'], doc: 'PagerDuty Events API v2 routing key (escalation.paging.pagerduty.routingKey)' },
  { name: 'EHLO_PAGE_WEBHOOK_URL', path: ['escalation', 'paging', 'webhook', 'url'], doc: 'signed webhook URL (escalation.paging.webhook.url)' },
  { name: 'EHLO_PAGE_WEBHOOK_SECRET', path: ['escalation', 'paging', 'webhook', 'secret'], doc: 'its HMAC-SHA256 secret (escalation.paging.webhook.secret)' },
];

export interface ConfigProblem {
  /** "ehlo.config.yaml", "environment EHLO_LOG_LEVEL", "defaults". */
  source: string;
  /** The setting: "probes.timeouts.totalMs". */
  setting: string;
  message: string;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(`the configuration is not valid:\n${problems.map(formatConfigProblem).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatConfigProblem(p: ConfigProblem): string {
  return `  ${p.source}${p.setting ? ` › ${p.setting}` : ''}: ${p.message}`;
}

export interface LoadedConfig {
  config: EhloConfig;
  /** The file read, if any. */
  file?: string;
  /** Settings that came from the environment: setting → variable. */
  fromEnv: Map<string, string>;
}

export interface LoadOptions {
  /** --config; else EHLO_CONFIG; else ehlo.config.yaml in cwd when it exists. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

function readFile(path: string, label: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([{ source: label, setting: '', message: code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(err)})` }]);
  }
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true });
  } catch (err) {
    throw new ConfigError([{ source: label, setting: '', message: `not valid YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}` }]);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError([{ source: label, setting: '', message: 'must be a mapping of sections (store, probes, logging, console, slack, teams)' }]);
  return doc as Record<string, unknown>;
}

function applyEnv(input: Record<string, unknown>, env: NodeJS.ProcessEnv): Map<string, string> {
  const fromEnv = new Map<string, string>();
  for (const e of ENV_SETTINGS) {
    const raw = env[e.name];
    if (raw === undefined || raw.trim() === '') continue;
    // Copy each mapping on the way down (the file's document is not changed), then set the leaf.
    let parent = input;
    for (const key of e.path.slice(0, -1)) {
      const current = parent[key];
      const copy = current && typeof current === 'object' && !Array.isArray(current) ? { ...(current as Record<string, unknown>) } : {};
      parent[key] = copy;
      parent = copy;
    }
    parent[e.path.at(-1) as string] = e.list ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw.trim();
    fromEnv.set(e.path.join('.'), e.name);
  }
  return fromEnv;
}

function settingOf(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/** Which source a problem at this setting came from: the variable that set it, else the file. */
function sourceOf(setting: string, fromEnv: Map<string, string>, fileLabel: string | undefined): string {
  for (const [prefix, name] of fromEnv) if (setting === prefix || setting.startsWith(`${prefix}.`) || setting.startsWith(`${prefix}[`)) return `environment ${name}`;
  return fileLabel ?? 'defaults';
}

/** Read, merge and validate; throws ConfigError listing every problem. */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? (env.EHLO_CONFIG?.trim() || undefined);
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, DEFAULT_CONFIG_FILE);
  const label = explicit ?? DEFAULT_CONFIG_FILE;
  const exists = explicit !== undefined || existsSync(path);
  const input = exists ? readFile(path, label) : {};
  const fromEnv = applyEnv(input, env);
  const parsed = EhloConfig.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const setting = settingOf(i.path);
        const keys = i.code === 'unrecognized_keys' ? ` (${i.keys.join(', ')})` : '';
        return { source: sourceOf(setting, fromEnv, exists ? label : undefined), setting, message: `${i.message}${keys}` };
      }),
    );
  }
  return { config: parsed.data, file: exists ? path : undefined, fromEnv };
}

export type ChannelName = 'slack' | 'teams' | 'console';

/** The channels `ehlo start` opens: every chat platform that is configured, else the console. */
export function chosenChannels(config: EhloConfig): ChannelName[] {
  const chosen: ChannelName[] = [];
  if (config.slack.botToken && (config.slack.signingSecret || config.slack.appToken)) chosen.push('slack');
  if ((config.teams.appId && config.teams.appPassword) || config.teams.dev) chosen.push('teams');
  return chosen.length ? chosen : ['console'];
}

/** A PostgreSQL URL without its password. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a valid URL)';
  }
}
