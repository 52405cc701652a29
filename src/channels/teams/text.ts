// Text as Teams delivers it → the text a person pasted. Teams sends HTML (`<p>`, `<br>`, `<div>`,
// `<pre>`, `<code>`, `&nbsp;`, entities) and marks mentions as `<at>name</at>`; when someone pastes
// `<bob@contoso.com>` the plain `text` loses it (it read as a tag) while the `text/html` attachment keeps
// it as `&lt;bob@contoso.com&gt;`. So the HTML attachment is read when there is one, and the text
// otherwise; both go through htmlparser2 (a kept, streaming parser that decodes entities), never
// through regexes of our own. The bot's own mention is removed; other mentions keep the name.
// Memory is bounded: at most MAX_INPUT characters are read and MAX_OUTPUT produced.
import { Parser } from 'htmlparser2';

/** Characters of HTML or text read from one activity (the matcher analyses far less). */
export const MAX_INPUT = 256 * 1024;
/** Characters of normalised text produced. */
export const MAX_OUTPUT = 128 * 1024;

/** Elements that end a line. */
const BLOCK = new Set(['p', 'div', 'br', 'pre', 'li', 'ul', 'ol', 'tr', 'table', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr']);
/** Elements whose whitespace is kept as written. */
const PRE = new Set(['pre', 'code']);
/** Elements whose text is not content. */
const SKIP = new Set(['script', 'style', 'head', 'title']);

export interface HtmlOptions {
  /** Mention names (the text inside `<at>…</at>`) to drop: the bot's own. */
  dropMentions?: ReadonlySet<string>;
}

/** Collapse whitespace outside <pre>/<code>; nbsp counts as a space. */
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\u00a0';
}

/** HTML → plain text with line breaks at block elements. */
export function htmlToText(html: string, options: HtmlOptions = {}): string {
  const input = html.length > MAX_INPUT ? html.slice(0, MAX_INPUT) : html;
  const drop = options.dropMentions ?? new Set<string>();
  const out: string[] = [];
  let length = 0;
  let pre = 0;
  let skip = 0;
  let at: string[] | undefined;
  let atDepth = 0;
  /** The last character written (for collapsing spaces and line breaks). */
  let last = '\n';
  let pendingBreak = false;

  const emit = (s: string): void => {
    if (length >= MAX_OUTPUT || !s) return;
    const room = MAX_OUTPUT - length;
    const piece = s.length > room ? s.slice(0, room) : s;
    out.push(piece);
    length += piece.length;
    last = piece[piece.length - 1] ?? last;
  };
  const lineBreak = (): void => {
    if (last !== '\n') emit('\n');
    pendingBreak = false;
  };

  const text = (raw: string): void => {
    if (skip > 0) return;
    if (at) {
      at.push(raw);
      return;
    }
    if (pre > 0) {
      if (pendingBreak) lineBreak();
      emit(raw.replaceAll('\u00a0', ' ').replaceAll('\r', ''));
      return;
    }
    // Runs of non-space characters are copied whole (every space character is one UTF-16 unit, so
    // stepping by unit never splits a character); each run of spaces becomes one space.
    let s = '';
    let space = last === ' ' || last === '\n';
    const n = raw.length;
    for (let i = 0; i < n; ) {
      if (isSpace(raw[i] as string)) {
        if (!space) s += ' ';
        space = true;
        i += 1;
        continue;
      }
      let j = i + 1;
      while (j < n && !isSpace(raw[j] as string)) j += 1;
      if (pendingBreak) {
        emit(s);
        s = '';
        lineBreak();
      }
      s += raw.slice(i, j);
      space = false;
      i = j;
    }
    emit(s);
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (SKIP.has(name)) skip += 1;
        // Teams sends emoji as <img alt="😀">: keep what the person saw.
        if (name === 'img' && attrs.alt) text(attrs.alt.slice(0, 40));
        if (name === 'at') {
          atDepth += 1;
          at ??= [];
          return;
        }
        if (PRE.has(name)) {
          if (name === 'pre') lineBreak();
          pre += 1;
        }
        if (name === 'br') lineBreak();
        else if (BLOCK.has(name)) pendingBreak = last !== '\n';
      },
      ontext: text,
      onclosetag(name) {
        if (SKIP.has(name)) skip = Math.max(0, skip - 1);
        if (name === 'at' && at) {
          atDepth -= 1;
          if (atDepth > 0) return;
          const name_ = at.join('');
          at = undefined;
          if (!drop.has(name_.trim())) text(name_);
          return;
        }
        if (PRE.has(name)) pre = Math.max(0, pre - 1);
        if (BLOCK.has(name) && name !== 'br') pendingBreak = last !== '\n';
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(input);
  parser.end();
  if (at) text(at.join(''));
  return trimLines(out.join(''));
}

/** Trim each line's end and the whole text, and keep at most one blank line in a row (no regexes). */
function trimLines(s: string): string {
  const lines = s.split('\n').map((l) => l.trimEnd());
  const kept: string[] = [];
  let blank = 0;
  for (const l of lines) {
    blank = l === '' ? blank + 1 : 0;
    if (blank <= 1) kept.push(l);
  }
  return kept.join('\n').trim();
}

/** Plain text (Teams' `text`): `<` is literal, but entities and `<at>` mentions are Teams' markup. */
export function plainToText(text: string, options: HtmlOptions = {}): string {
  const input = text.length > MAX_INPUT ? text.slice(0, MAX_INPUT) : text;
  // Keep <at>…</at> as markup and every other "<" literal, then let the parser decode entities.
  const parts = input.split('<');
  let html = parts[0] ?? '';
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i] as string;
    const lower = p.slice(0, 4).toLowerCase();
    html += lower.startsWith('at>') || lower.startsWith('/at>') ? `<${p}` : `&lt;${p}`;
  }
  // Line breaks in plain text are meant: keep them as <br>.
  return htmlToText(html.split('\n').join('<br>'), options);
}

interface AttachmentLike {
  contentType?: string;
  content?: unknown;
}

export interface TeamsTextInput {
  text?: string;
  textFormat?: string;
  attachments?: readonly AttachmentLike[];
}

/**
 * The text of a Teams message: the text/html attachment when there is one (it keeps what `text` lost),
 * else `text` (as HTML when Teams says it is, or when it is wrapped in block elements).
 */
export function messageText(activity: TeamsTextInput, options: HtmlOptions = {}): string {
  const html = activity.attachments?.find((a) => a.contentType === 'text/html' && typeof a.content === 'string')?.content as string | undefined;
  if (html !== undefined && html.trim()) return htmlToText(html, options);
  const text = typeof activity.text === 'string' ? activity.text : '';
  if (activity.textFormat === 'xml' || looksLikeHtml(text)) return htmlToText(text, options);
  return plainToText(text, options);
}

function looksLikeHtml(text: string): boolean {
  const head = text.trimStart().slice(0, 6).toLowerCase();
  return head.startsWith('<p>') || head.startsWith('<div') || head.startsWith('<pre') || head.startsWith('<p ');
}
