// A pasted or uploaded file as the text a person would have pasted: plain text as it is, an .eml
// decoded from MIME (multipart/report with its delivery-status part, base64, quoted-printable,
// charsets) with postal-mime, an Outlook .msg read with @kenjiuno/msgreader. Anything else binary is
// said to be binary, with what it looks like, and is never matched as free text.
//
// The CLI (`ehlo match FILE`), the console and the chat channels share this one decoder.
// postal-mime and msgreader load on first use: plain-text pastes (the common case) never pay for them.

/** Files larger than this are cut before decoding (the matcher reads far less). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** The decoded text is cut to this many characters. */
export const MAX_TEXT_CHARS = 1024 * 1024;

export type Decoded =
  | { ok: true; format: 'text' | 'eml' | 'msg'; text: string; subject?: string }
  | { ok: false; format: 'binary'; looksLike: string };

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((v, i) => b[at + i] === v);

/** What a binary file looks like, from its first bytes. */
export function describeBinary(b: Uint8Array): string {
  const ascii = (s: string, at = 0) => startsWith(b, [...s].map((c) => c.charCodeAt(0)), at);
  if (ascii('%PDF')) return 'a PDF document';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47])) return 'a PNG image';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (ascii('GIF8')) return 'a GIF image';
  if (ascii('RIFF') && ascii('WEBP', 8)) return 'a WebP image';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive (or an Office document such as .docx or .xlsx)';
  if (startsWith(b, [0x1f, 0x8b])) return 'a gzip archive';
  if (startsWith(b, OLE_MAGIC)) return 'an OLE compound file that is not a readable Outlook message (an old Word or Excel file?)';
  if (ascii('MZ')) return 'a Windows program (PE executable)';
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return 'an ELF executable';
  if (ascii('7z') && b[2] === 0xbc) return 'a 7-Zip archive';
  return 'binary data of an unknown kind';
}

/** Text unless it has NUL bytes or many control characters (UTF-16 with a BOM counts as text). */
function asText(b: Uint8Array): string | undefined {
  if (startsWith(b, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(b.subarray(2));
  if (startsWith(b, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(b.subarray(2));
  const n = Math.min(b.length, 64 * 1024);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i] as number;
    if (c === 0) return undefined;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) control++;
  }
  if (control > n / 100) return undefined;
  return new TextDecoder('utf-8').decode(b);
}

/** RFC 822 headers at the top: a few `Name: value` lines before the first empty line, and a mail header among them. */
export function looksLikeMime(text: string): boolean {
  const head = text.slice(0, 16 * 1024);
  const end = head.search(/\r?\n\r?\n/);
  const block = end < 0 ? head : head.slice(0, end);
  const lines = block.split(/\r?\n/);
  let fields = 0;
  let mail = false;
  for (const line of lines) {
    if (line.startsWith(' ') || line.startsWith('\t')) continue;
    const m = /^([A-Za-z][A-Za-z0-9-]{0,76}):/.exec(line);
    if (!m) return false;
    fields++;
    if (/^(received|from|to|subject|date|message-id|mime-version|content-type|return-path)$/i.test(m[1] as string)) mail = true;
  }
  return fields >= 2 && mail;
}

const stripHtml = (html: string) =>
  html
    .replace(/<(script|style)\b[^>]{0,200}>[^]{0,200000}?<\/\1\s*>/gi, ' ')
    .replace(/<br\s{0,5}\/?>|<\/(p|div|tr|li|h\d)\s*>/gi, '\n')
    .replace(/<[^<>]{0,2000}>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');

const partText = (content: ArrayBuffer | Uint8Array | string) =>
  typeof content === 'string' ? content : new TextDecoder('utf-8').decode(content instanceof Uint8Array ? content : new Uint8Array(content));

async function decodeEml(raw: Uint8Array): Promise<{ text: string; subject?: string }> {
  const { default: PostalMime } = await import('postal-mime');
  const email = await PostalMime.parse(raw);
  const parts: string[] = [];
  if (email.subject) parts.push(`Subject: ${email.subject}`);
  const body = email.text?.trim() ? email.text : email.html ? stripHtml(email.html) : '';
  if (body.trim()) parts.push(body.trim());
  for (const a of email.attachments ?? []) {
    const type = a.mimeType.toLowerCase();
    // The machine-readable report (Status, Diagnostic-Code, Remote-MTA) and the returned headers.
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status' || type === 'text/rfc822-headers') {
      parts.push(partText(a.content).trim());
    }
  }
  return { text: parts.join('\n\n'), ...(email.subject ? { subject: email.subject } : {}) };
}

type MsgFields = { subject?: string; body?: string; bodyHtml?: string; headers?: string; attachments?: MsgFields[]; error?: string };
interface MsgReaderLike { getFileData(): MsgFields }

async function decodeMsg(raw: Uint8Array): Promise<{ text: string; subject?: string } | undefined> {
  const mod = (await import('@kenjiuno/msgreader')) as unknown as { default?: { default?: unknown } | unknown };
  const inner = mod.default as { default?: unknown } | undefined;
  const MsgReader = (inner?.default ?? mod.default) as new (b: ArrayBuffer) => MsgReaderLike;
  let data: MsgFields;
  try {
    const copy = raw.slice().buffer;
    data = new MsgReader(copy).getFileData();
  } catch {
    return undefined;
  }
  if (data.error || (!data.subject && !data.body && !data.bodyHtml && !data.headers)) return undefined;
  const parts: string[] = [];
  if (data.subject) parts.push(`Subject: ${data.subject}`);
  const body = data.body?.trim() ? data.body : data.bodyHtml ? stripHtml(data.bodyHtml) : '';
  if (body.trim()) parts.push(body.trim());
  if (data.headers?.trim()) parts.push(data.headers.trim());
  return { text: parts.join('\n\n'), ...(data.subject ? { subject: data.subject } : {}) };
}

const cut = (s: string) => (s.length > MAX_TEXT_CHARS ? s.slice(0, MAX_TEXT_CHARS) : s);

/** Decode a file's bytes into paste text, or say it is binary and what it looks like. */
export async function decodeFile(input: Uint8Array): Promise<Decoded> {
  const bytes = input.length > MAX_FILE_BYTES ? input.subarray(0, MAX_FILE_BYTES) : input;
  if (startsWith(bytes, OLE_MAGIC)) {
    const msg = await decodeMsg(bytes);
    if (msg) return { ok: true, format: 'msg', text: cut(msg.text), ...(msg.subject ? { subject: msg.subject } : {}) };
    return { ok: false, format: 'binary', looksLike: describeBinary(bytes) };
  }
  const text = asText(bytes);
  if (text === undefined) return { ok: false, format: 'binary', looksLike: describeBinary(bytes) };
  if (looksLikeMime(text)) {
    try {
      const eml = await decodeEml(bytes);
      if (eml.text.trim()) return { ok: true, format: 'eml', text: cut(eml.text), ...(eml.subject ? { subject: eml.subject } : {}) };
    } catch {
      // Not parseable as MIME after all: fall through to plain text.
    }
  }
  return { ok: true, format: 'text', text: cut(text) };
}
