// Logs with pino: JSON in production, readable on a terminal (pino-pretty). What a log line carries is
// scrubbed on the way in: paste text never (fields named text/paste are censored), e-mail addresses
// keep only their domain, tokens and credentials are replaced (src/text/redact.ts).
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { EhloConfig } from './config.ts';
import { redact } from './text/redact.ts';

export type LogSettings = EhloConfig['logging'];

/** Fields whose values are never logged (paste text, secrets), wherever they sit. */
export const REDACT_PATHS = [
  'text', 'paste', 'password', 'token', 'authorization', 'databaseUrl', 'appPassword', 'signingSecret', 'botToken', 'appToken',
  '*.text', '*.paste', '*.password', '*.token', '*.authorization', '*.databaseUrl', '*.appPassword', '*.signingSecret', '*.botToken', '*.appToken',
];

const MAX_DEPTH = 5;
const MAX_ITEMS = 50;

/** A copy of a log argument with every string redacted (bounded depth and breadth). */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return scrubError(value, depth);
  if (depth >= MAX_DEPTH) return '[deep object]';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => scrub(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, MAX_ITEMS)) out[k] = scrub(v, depth + 1);
  return out;
}

/** An error of the same class (so pino's serializer names its type) with message, stack and fields redacted. */
function scrubError(err: Error, depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(err) as object) as Error;
  const hidden = (v: unknown): PropertyDescriptor => ({ value: v, writable: true, configurable: true, enumerable: false });
  Object.defineProperties(copy, { message: hidden(redact(err.message)), stack: hidden(err.stack && redact(err.stack)), name: hidden(err.name) });
  if (depth < MAX_DEPTH) for (const [k, v] of Object.entries(err).slice(0, MAX_ITEMS)) (copy as unknown as Record<string, unknown>)[k] = scrub(v, depth + 1);
  return copy;
}

export interface LoggerTarget {
  /** Where lines go: a stream, or a file path (folders are created). */
  stream?: NodeJS.WritableStream | DestinationStream;
  file?: string;
  /** The destination is a terminal (format auto → pretty, with colours unless NO_COLOR). */
  tty?: boolean;
}

function destination(target: LoggerTarget): NodeJS.WritableStream | DestinationStream {
  if (target.file) {
    // The log names domains and hosts: owner-only, like the store.
    mkdirSync(dirname(target.file), { recursive: true, mode: 0o700 });
    const dest = pino.destination({ dest: target.file, sync: true, mode: 0o600 });
    if ((statSync(target.file).mode & 0o777) !== 0o600) chmodSync(target.file, 0o600);
    return dest;
  }
  return target.stream ?? pino.destination({ dest: 2, sync: true });
}

export function createLogger(settings: Pick<LogSettings, 'level' | 'format'>, target: LoggerTarget = {}): Logger {
  const dest = destination(target);
  const readable = settings.format === 'pretty' || (settings.format === 'auto' && Boolean(target.tty) && !target.file);
  const stream = readable ? pretty({ destination: dest as NodeJS.WritableStream, colorize: Boolean(target.tty) && !target.file && !process.env.NO_COLOR, sync: true, translateTime: 'SYS:HH:MM:ss' }) : dest;
  return pino(
    {
      level: settings.level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrub(a)) as Parameters<typeof method>);
        },
      },
    },
    stream as DestinationStream,
  );
}

export const CONSOLE_LOG_FILE = 'data/ehlo.log';

/**
 * The console channel's logger: never on the chat screen. Into logging.file (default data/ehlo.log);
 * when that cannot be opened, onto stderr at warn level or above.
 */
export function consoleLogger(settings: LogSettings): { logger: Logger; where: string } {
  const file = settings.file ?? CONSOLE_LOG_FILE;
  try {
    return { logger: createLogger(settings, { file }), where: file };
  } catch (err) {
    // Nothing between the cards but errors, one short line each, never a stack trace.
    const level = ['fatal', 'silent'].includes(settings.level) ? settings.level : 'error';
    const logger = pino({ level, base: null, timestamp: false, hooks: { logMethod(args, method) { method.apply(this, args.map((a) => scrub(a)) as Parameters<typeof method>); } } }, compactStderr());
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    return { logger, where: `not written (cannot write ${file}: ${why}); errors are shown here` };
  }
}

/** Log lines as "ehlo: message (error)" on stderr. */
function compactStderr(): DestinationStream {
  return {
    write(line: string): void {
      try {
        const o = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        process.stderr.write(`ehlo: ${o.msg ?? ''}${o.err?.message ? ` (${o.err.message.split('\n')[0]})` : ''}\n`);
      } catch {
        process.stderr.write(line);
      }
    },
  };
}
