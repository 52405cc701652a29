// The Teams channel under test: ehlo built by createRuntime + serve(['teams']) exactly as `ehlo start`
// builds it, on 127.0.0.1 with a temporary SQLite store. The fake Bot Connector it answers through and
// the activities the tests send are in test/helpers/teams-fake.ts (the soak uses the same copy).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { EhloConfig } from '../../../src/config.ts';
import { createRuntime, serve, type Runtime, type Served } from '../../../src/server/runtime.ts';

export * from '../../helpers/teams-fake.ts';

export interface TeamsApp {
  url: string;
  rt: Runtime;
  served: Served;
  dir: string;
  close(): Promise<void>;
}

export async function startTeams(overrides: Record<string, unknown> = {}): Promise<TeamsApp> {
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-teams-'));
  const input = {
    store: { sqlitePath: join(dir, 'ehlo.sqlite') },
    server: { port: 0, host: '127.0.0.1' },
    teams: { dev: true },
    ...overrides,
  };
  const config = EhloConfig.parse(input);
  const rt = createRuntime(config, { logger: pino({ level: 'silent' }) });
  const served = await serve(rt, ['teams']);
  return {
    url: `http://127.0.0.1:${served.port}/api/messages`,
    rt,
    served,
    dir,
    async close() {
      await served.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
