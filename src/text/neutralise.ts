// Showing user text back safely in any channel: chat mention tokens lose their power, control
// characters and terminal escapes go, and length is bounded. Slack has already turned real mentions
// into tokens (<!channel>, <@U123>), so echoing a paste verbatim could ping a whole channel.

/** <!channel> <!here> <!everyone> <@U123> <@U123|name> <!subteam^S1|@team> <#C1|general> <!date^…|text>. */
const SLACK_TOKEN = /<([!@#])([^<>\n]{0,200})>/g;
/** Teams mentions as they arrive in message text. */
const TEAMS_MENTION = /<at>([^<>\n]{0,200})<\/at>/gi;
/** Plain broadcast words that some clients link when parse=full. */
const BROADCAST = /(^|[^\w@[])@(channel|here|everyone)\b/gi;

function slackToken(kind: string, body: string): string {
  const [id = '', label] = body.split('|', 2);
  if (kind === '#') return `[#${label ?? id}]`;
  if (kind === '@') return `[@${label ?? id}]`;
  const special = id.split('^')[0] ?? '';
  if (special === 'subteam') return `[@${(label ?? 'group').replace(/^@/, '')}]`;
  if (special === 'date') return label ?? '[date]';
  return `[@${special || 'mention'}]`;
}

/** Neutralise mention tokens; the text stays readable ("[@channel]", "[@U123]", "[#general]"). */
export function neutraliseMentions(text: string): string {
  return text
    .replace(SLACK_TOKEN, (_m, kind: string, body: string) => slackToken(kind, body))
    .replace(TEAMS_MENTION, (_m, name: string) => `[@${name}]`)
    .replace(BROADCAST, (_m, pre: string, word: string) => `${pre}[@${word}]`);
}

function isControl(c: number): boolean {
  return c < 32 || (c >= 127 && c < 160) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff || c === 0x2028 || c === 0x2029;
}

/** Drop control characters and escapes; keep line breaks (and turn tabs into spaces) when multiline. Copies clean stretches whole. */
export function stripControls(text: string, multiline: boolean): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 32 && c < 127) continue;
    if (multiline && c === 10) continue;
    if (c !== 9 && c !== 13 && !isControl(c)) continue;
    out += text.slice(copied, i);
    copied = i + 1;
    if (c === 9) out += multiline ? '    ' : ' ';
    else if (c !== 13 && !multiline) out += ' ';
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** One line of user text, safe to echo: no mentions, no controls, whitespace collapsed, at most max characters. */
export function safeLine(text: string, max = 200): string {
  const cut = text.length > max * 4 ? text.slice(0, max * 4) : text;
  const clean = neutraliseMentions(stripControls(cut, false)).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** A block of user text (a paste excerpt), safe to echo: line breaks kept, at most max characters. */
export function safeBlock(text: string, max = 1500): { text: string; truncated: boolean } {
  const cut = text.length > max * 4 ? text.slice(0, max * 4) : text;
  // Per-line trimEnd rather than /[ \t]+\n/: that regex is quadratic on a long run of blanks.
  const lines = neutraliseMentions(stripControls(cut, true)).split('\n').map((l) => l.trimEnd());
  const clean = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  if (clean.length <= max && cut.length === text.length) return { text: clean, truncated: false };
  return { text: `${clean.slice(0, max - 1)}…`, truncated: true };
}

/** A person's display name as shown in replies. */
export function who(actor: { name: string }): string {
  return safeLine(actor.name, 80) || 'someone';
}
