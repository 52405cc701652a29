// What `ehlo start` and `ehlo runner` share as long-running servers: the one-line answer when the
// port cannot be opened, and waiting for SIGTERM or Ctrl-C before a graceful stop.
import type { Logger } from 'pino';

/** Why a server could not listen, in words that say what to do (EADDRINUSE names the setting). */
export function listenFailure(err: unknown, port: number): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EADDRINUSE' ? `port ${port} is already in use (set PORT to another)` : err instanceof Error ? err.message : String(err);
}

/** Resolves at the first SIGTERM or SIGINT, logged as `message`; the handlers are removed again. */
export function untilStopSignal(logger: Logger, message: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, message);
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      resolve();
    };
    const onTerm = (): void => stop('SIGTERM');
    const onInt = (): void => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}
