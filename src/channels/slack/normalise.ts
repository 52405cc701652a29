// Slack's message text back to what the person pasted, before the matcher and the target extractor
// see it: `&lt; &gt; &amp;` decoded; <mailto:a@b|a@b>, <http://host|host>, <#C1|general>, <@U1>,
// <!here>, <!subteam^S1|@ops> and <!date^…|text> tokens unwrapped to their readable text; code fences
// dropped (their content kept). A message's rich_text blocks, when present, are read instead of its
// text: preformatted and quoted blocks verbatim, links by their URL, users and channels by id.
// Every loop is linear in the input and the output is bounded.

/** The most text taken from one message (text and files together). */
export const MAX_TEXT = 1024 * 1024;
/** A token longer than this is not a token (Slack's are short); its `<` is literal. */
const MAX_TOKEN = 2000;

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp);/g, (_m, e: string) => (e === 'lt' ? '<' : e === 'gt' ? '>' : '&'));
}

function unwrapToken(body: string): string {
  const bar = body.indexOf('|');
  const target = bar >= 0 ? body.slice(0, bar) : body;
  const label = bar >= 0 ? body.slice(bar + 1) : undefined;
  const first = target[0];
  if (first === '@') return label ? (label.startsWith('@') ? label : `@${label}`) : target;
  if (first === '#') return label ? `#${label}` : target;
  if (first === '!') {
    const special = target.slice(1).split('^')[0] ?? '';
    if (label) return special === 'subteam' && !label.startsWith('@') ? `@${label}` : label;
    if (special === 'subteam') return '@group';
    if (special === 'date') return '';
    return `@${special}`;
  }
  if (target.startsWith('mailto:')) return label ?? target.slice(7);
  if (target.startsWith('tel:')) return label ?? target.slice(4);
  // A URL: the label is what the person typed (Slack wraps bare host names as <http://host|host>).
  return label ?? target;
}

/** Unwrap Slack's <…> tokens and decode entities, in one linear pass (each search position only moves forward). */
export function unwrapSlackText(text: string): string {
  let out = '';
  let i = 0;
  let gt = -2;
  let nl = -2;
  const after = (cached: number, ch: string, from: number): number => (cached === -1 || cached >= from ? cached : text.indexOf(ch, from));
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      out += decodeEntities(text.slice(i));
      break;
    }
    out += decodeEntities(text.slice(i, lt));
    gt = after(gt, '>', lt + 1);
    if (gt < 0) {
      // No > anywhere after: the rest is text.
      out += decodeEntities(text.slice(lt));
      break;
    }
    nl = after(nl, '\n', lt + 1);
    const nextLt = text.indexOf('<', lt + 1);
    if ((nextLt >= 0 && nextLt < gt) || (nl >= 0 && nl < gt) || gt - lt > MAX_TOKEN) {
      // Not a token: Slack escapes real angle brackets, so a lone < is kept as it is. Jump to the next candidate.
      const next = nextLt >= 0 && nextLt < gt ? nextLt : gt + 1;
      out += decodeEntities(text.slice(lt, next));
      i = next;
      continue;
    }
    out += decodeEntities(unwrapToken(text.slice(lt + 1, gt)));
    i = gt + 1;
  }
  return out;
}

/** Drop ``` fences, keeping what is between them (a fence may sit on its own line or touch the text). */
export function dropFences(text: string): string {
  if (!text.includes('```')) return text;
  return text.split('```').join('\n');
}

/** Slack message text as the person pasted it. */
export function normaliseSlackText(text: string): string {
  const bounded = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  return trimLines(dropFences(unwrapSlackText(bounded)));
}

/** Trim the blank lines a fence leaves; per line, without a regex over whitespace runs. */
function trimLines(text: string): string {
  const lines = text.split('\n');
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start++;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end--;
  return lines.slice(start, end).map((l) => l.trimEnd()).join('\n');
}

// rich_text: https://docs.slack.dev/reference/block-kit/blocks/rich-text-block
interface RichElement {
  type?: string;
  text?: string;
  url?: string;
  user_id?: string;
  channel_id?: string;
  usergroup_id?: string;
  range?: string;
  name?: string;
  unicode?: string;
  elements?: RichElement[];
}

function inline(el: RichElement, out: string[], skipUser: string | undefined): void {
  switch (el.type) {
    case 'text': out.push(el.text ?? ''); break;
    case 'link': out.push(el.text && el.text !== el.url ? el.text : (el.url ?? '').replace(/^mailto:/, '')); break;
    case 'user': if (el.user_id !== skipUser) out.push(`@${el.user_id ?? ''}`); break;
    case 'channel': out.push(`#${el.channel_id ?? ''}`); break;
    case 'usergroup': out.push('@group'); break;
    case 'broadcast': out.push(`@${el.range ?? 'here'}`); break;
    case 'emoji': out.push(el.unicode ? String.fromCodePoint(...el.unicode.split('-').map((h) => Number.parseInt(h, 16)).filter((n) => Number.isFinite(n) && n > 0 && n < 0x110000).slice(0, 8)) : `:${el.name ?? ''}:`); break;
    case 'date': out.push(el.text ?? ''); break;
    default: if (typeof el.text === 'string') out.push(el.text);
  }
}

function richBlock(el: RichElement, out: string[], depth: number, skipUser: string | undefined): void {
  if (depth > 8) return;
  const parts: string[] = [];
  switch (el.type) {
    case 'rich_text_section':
    case 'rich_text_preformatted':
    case 'rich_text_quote':
      for (const child of el.elements ?? []) inline(child, parts, skipUser);
      out.push(parts.join(''));
      return;
    case 'rich_text_list':
      for (const item of el.elements ?? []) richBlock(item, out, depth + 1, skipUser);
      return;
    default:
      for (const child of el.elements ?? []) richBlock(child, out, depth + 1, skipUser);
  }
}

/** The text of a message's rich_text blocks, or undefined when it has none. */
export function richTextOf(blocks: unknown, skipUser?: string): string | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const out: string[] = [];
  let found = false;
  for (const b of blocks.slice(0, 50) as RichElement[]) {
    if (!b || typeof b !== 'object' || b.type !== 'rich_text') continue;
    found = true;
    for (const el of b.elements ?? []) richBlock(el, out, 0, skipUser);
  }
  if (!found) return undefined;
  const text = out.join('\n');
  return trimLines(text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text);
}

/** What a Slack message says: its rich_text blocks when it has them, else its text normalised. */
export function messageText(message: { text?: unknown; blocks?: unknown }, botUserId?: string): string {
  const rich = richTextOf(message.blocks, botUserId);
  if (rich !== undefined && rich.trim()) return rich.trim();
  return typeof message.text === 'string' ? normaliseSlackText(withoutMention(message.text, botUserId)).trim() : '';
}

/** Remove the bot's own mention (<@U123> or <@U123|ehlo>) from a message's raw text. */
export function withoutMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text;
  return text.split(`<@${botUserId}>`).join(' ').split(`<@${botUserId}|`).map((part, i) => (i === 0 ? part : part.slice(Math.max(0, part.indexOf('>') + 1)))).join(' ');
}
