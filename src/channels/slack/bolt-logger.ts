// Bolt and the Web API client log through this adapter into ehlo's pino logger (so their lines are
// redacted and leveled like ours), one level quieter than they ask: their info is our debug.
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from 'pino';

export function boltLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack-sdk' });
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ').slice(0, 500);
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...args: unknown[]) => child.trace(text(args)),
    info: (...args: unknown[]) => child.debug(text(args)),
    warn: (...args: unknown[]) => child.warn(text(args)),
    error: (...args: unknown[]) => child.error(text(args)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
