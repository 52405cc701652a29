// Reading a long paste Slack turned into a text snippet, or an uploaded .txt/.eml/.log file: ask
// files.info for the file (the event's copy may be partial), then download it from the URL Slack gave,
// with the bot token, at most 1 MiB, following a redirect only on the same origin (never sending the
// token anywhere else), and only over https unless the Web API itself is plain http (tests).
import type { WebClient } from '@slack/web-api';
import { decodeFile } from '../../paste/decode.ts';
import type { Logger } from 'pino';

export const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 3;
const MAX_REDIRECTS = 3;
const TIMEOUT_MS = 10_000;
const TEXT_NAMES = /\.(?:txt|eml|log|text|msg\.txt)$/i;
const TEXT_TYPES: ReadonlySet<string> = new Set(['text', 'email', 'eml', 'log', 'plain']);

export interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  mode?: string;
  filetype?: string;
  mimetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
  file_access?: string;
}

/** A file ehlo reads as text: a snippet, a text/e-mail file, a .txt/.eml/.log name. */
export function isTextFile(f: SlackFile): boolean {
  if (f.mode === 'snippet') return true;
  if (f.filetype && TEXT_TYPES.has(f.filetype.toLowerCase())) return true;
  if (f.mimetype && (/^text\/plain\b/i.test(f.mimetype) || /^message\/rfc822\b/i.test(f.mimetype))) return true;
  return Boolean(f.name && TEXT_NAMES.test(f.name));
}

export interface FileReaderOptions {
  client: WebClient;
  token: string;
  /** The Web API base URL: plain http file URLs are allowed only when it is http too. */
  apiUrl: string;
  logger: Logger;
}

export class FileReader {
  readonly #o: FileReaderOptions;
  readonly #allowHttp: boolean;

  constructor(options: FileReaderOptions) {
    this.#o = options;
    this.#allowHttp = new URL(options.apiUrl).protocol === 'http:';
  }

  /** The text of the message's text files, each at most 1 MiB; files that cannot be read are skipped (and logged). */
  async read(files: readonly SlackFile[]): Promise<string[]> {
    const out: string[] = [];
    for (const f of files.slice(0, MAX_FILES)) {
      if (!f.id) continue;
      try {
        const text = await this.#readOne(f);
        if (text) out.push(text);
      } catch (err) {
        this.#o.logger.warn({ file: f.id, err: err instanceof Error ? err.message : String(err) }, 'could not read a Slack file');
      }
    }
    return out;
  }

  async #readOne(partial: SlackFile): Promise<string | undefined> {
    if (partial.file_access !== 'check_file_info' && !isTextFile(partial)) return undefined;
    const info = (await this.#o.client.files.info({ file: partial.id as string })) as { file?: SlackFile };
    const file = info.file;
    if (!file || !isTextFile(file)) return undefined;
    if ((file.size ?? 0) > MAX_FILE_BYTES) {
      this.#o.logger.info({ file: file.id, size: file.size }, 'Slack file larger than 1 MiB not read');
      return undefined;
    }
    const url = file.url_private_download ?? file.url_private;
    if (!url) return undefined;
    return this.#download(url);
  }

  async #download(first: string): Promise<string | undefined> {
    let url = new URL(first);
    const origin = url.origin;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (url.protocol !== 'https:' && !(this.#allowHttp && url.protocol === 'http:')) throw new Error(`file URL scheme ${url.protocol} refused`);
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${this.#o.token}` },
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        const location = res.headers.get('location');
        if (!location) throw new Error(`redirect ${res.status} without a location`);
        const next = new URL(location, url);
        if (next.origin !== origin) throw new Error(`redirect to another origin (${next.origin}) refused`);
        url = next;
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new Error(`file download answered ${res.status}`);
      }
      const type = res.headers.get('content-type') ?? '';
      // Slack answers an HTML login page when the token may not read the file.
      if (/^text\/html/i.test(type)) {
        await res.body?.cancel();
        throw new Error('file download answered an HTML page (missing files:read?)');
      }
      return readBounded(res, MAX_FILE_BYTES);
    }
    throw new Error('too many redirects');
  }
}

/** The body as paste text (decoded like ehlo match FILE), at most max bytes (the rest is not read). */
async function readBounded(res: Response, max: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > max) {
    await res.body?.cancel();
    throw new Error(`file of ${declared} bytes is over the 1 MiB limit`);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > max) {
      chunks.push(value.subarray(0, max - size));
      size = max;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  // The same decoding as `ehlo match FILE`: .eml from MIME, .msg as an Outlook message, binary refused.
  const d = await decodeFile(Buffer.concat(chunks, size));
  if (!d.ok) throw new Error(`the file looks like ${d.looksLike}; ehlo reads text, .eml and .msg files`);
  return d.text;
}
