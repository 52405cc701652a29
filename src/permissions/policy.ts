// Who may do what, as configuration: run probes, start walkthroughs, confirm change steps, confirm
// high-risk steps, escalate, and stop another person's walkthrough. Each rule is a list of principals;
// a rule left out allows everyone (today's behaviour, and the console's: it is one person at a
// terminal). Principals: "*", "<platform>:*", "slack:U…" (a user), "slack:group:S…" (a user group),
// "teams:<AAD object id>", "teams:group:<AAD group id>", "console:<name>". Rules can be set per
// channel ("slack:C0123" → its own rules) where a channel needs tighter ones.
// A refusal names the rule that refused, so the person knows whom to ask.
import { z } from 'zod';

export const PERMISSIONS = ['probe', 'start', 'confirm', 'confirmHigh', 'escalate', 'stopOthers'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const Principal = z.string().regex(/^(?:\*|[a-z]+:\*|[a-z]+:(?:group:)?[A-Za-z0-9._@:-]{1,200})$/, 'must be *, <platform>:*, <platform>:<user id> or <platform>:group:<group id>');
const Rules = z.partialRecord(z.enum(PERMISSIONS), z.array(Principal).max(500));

export const PermissionsConfig = z
  .object({
    /** High-risk change steps (risk: high) need a second person's confirmation. */
    fourEyes: z.stringbool().or(z.boolean()).default(true),
    rules: Rules.default({}),
    /** Rules for one channel ("slack:C0123", "teams:19:…"), replacing the global rule of the same name. */
    channels: z.record(z.string().min(3).max(300), Rules).default({}),
  })
  .strict();
export type PermissionsConfig = z.infer<typeof PermissionsConfig>;

export const PERMISSION_WORDS: Record<Permission, string> = {
  probe: 'run checks (probes)',
  start: 'start walkthroughs',
  confirm: 'confirm change steps',
  confirmHigh: 'confirm high-risk change steps',
  escalate: 'escalate to on-call',
  stopOthers: "stop another person's walkthrough",
};

export interface Subject {
  /** The thread key (platform:…); its first part is the platform. */
  thread: string;
  actorId: string;
  /** Group ids the person belongs to (the adapter's lookup); empty when unknown. */
  groups: readonly string[];
}

export type Decision = { allowed: true } | { allowed: false; rule: string; message: string };

function platformOf(thread: string): string {
  const i = thread.indexOf(':');
  return i > 0 ? thread.slice(0, i) : 'unknown';
}

/** "slack:T0:C0:ts" → "slack:C0"; "teams:19:abc@thread.tacv2;messageid=1" → "teams:19:abc@thread.tacv2". */
export function channelOf(thread: string): string {
  const parts = thread.split(':');
  if (parts[0] === 'slack') return `slack:${parts[2] ?? ''}`;
  if (parts[0] === 'teams') return `teams:${thread.slice(6).split(';')[0]}`;
  return `${parts[0]}:${parts[1] ?? ''}`;
}

export class Policy {
  readonly #config: PermissionsConfig;

  constructor(config: PermissionsConfig = PermissionsConfig.parse({})) {
    this.#config = config;
  }

  get fourEyes(): boolean {
    return this.#config.fourEyes;
  }

  /** Whether any rule names a group (then the adapter must look groups up). */
  get usesGroups(): boolean {
    const all = [...Object.values(this.#config.rules), ...Object.values(this.#config.channels).flatMap((r) => Object.values(r))];
    return all.some((list) => list?.some((p) => p.includes(':group:')));
  }

  check(permission: Permission, s: Subject): Decision {
    const channel = channelOf(s.thread);
    const local = this.#config.channels[channel]?.[permission];
    const list = local ?? this.#config.rules[permission];
    if (!list) return { allowed: true };
    const platform = platformOf(s.thread);
    const ok = list.some((p) => p === '*' || p === `${platform}:*` || p === `${platform}:${s.actorId}` || s.groups.some((g) => p === `${platform}:group:${g}`));
    if (ok) return { allowed: true };
    const rule = local ? `permissions.channels["${channel}"].${permission}` : `permissions.rules.${permission}`;
    return { allowed: false, rule, message: `You may not ${PERMISSION_WORDS[permission]} here: the rule ${rule} allows only ${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}. Nothing was changed; ask one of them.` };
  }
}
