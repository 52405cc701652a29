// Typed text → a command, or nothing (then it is a paste or an answer). Conservative on purpose: a
// paste whose first word happens to be "check" or "failed" must still reach the matcher, so words
// without arguments must stand alone and `probe` needs a known kind.
import { PROBE_KINDS } from '../catalog/schema.ts';
import { COMMAND_NAMES, type CommandName } from './events.ts';

export interface ParsedCommand {
  name: CommandName;
  args: string;
}

/** Commands that take no arguments: only the bare word counts. */
const BARE: ReadonlySet<CommandName> = new Set(['status', 'next', 'done', 'back', 'confirm', 'check', 'cancel', 'help', 'timeline']);
/** Commands whose argument may span lines. */
const MULTILINE: ReadonlySet<CommandName> = new Set(['match', 'note']);
const ALIASES: Record<string, CommandName> = { '?': 'help', fail: 'failed', continue: 'next', search: 'playbooks', catalog: 'playbooks', abort: 'stop' };
const NAMES: ReadonlySet<string> = new Set(COMMAND_NAMES);

function nameOf(word: string): CommandName | undefined {
  const w = word.toLowerCase();
  if (NAMES.has(w)) return w as CommandName;
  return ALIASES[w];
}

/** "status", "/ehlo status", "ehlo: failed no MX record", "probe smtp mail.contoso.com:25". */
export function parseCommand(text: string): ParsedCommand | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 4000) return undefined;
  const m = /^\/?(?:ehlo[:,]?\s+)?([a-z?]{1,12})(?:[ \t]+|$)/i.exec(trimmed);
  if (!m) return undefined;
  const name = nameOf(m[1] ?? '');
  if (!name) return undefined;
  const args = trimmed.slice(m[0].length).trim();
  if (args.includes('\n') && !MULTILINE.has(name)) return undefined;
  if (BARE.has(name) && args) return undefined;
  if (name === 'probe' && !isProbeCommand(args)) return undefined;
  if (name === 'set' && !/^\{?[a-z]+\}?\s+\S+$/i.test(args)) return undefined;
  return { name, args };
}

function isProbeCommand(args: string): boolean {
  const [kind, target, ...rest] = args.split(/\s+/);
  return Boolean(kind && target && rest.length === 0 && (PROBE_KINDS as readonly string[]).includes(kind.toLowerCase()));
}
