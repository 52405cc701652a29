// `ehlo start` (npm start) opens Slack when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set: the real
// command in a child process, on the port it reports, answering a signed event through SLACK_API_URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENV_SETTINGS } from '../../../src/config.ts';
import { EHLO_BIN } from '../../helpers/run-cli.ts';
import { BOT_TOKEN, FakeSlack } from './fake-slack.ts';
import { eventEnvelope, postSigned, SIGNING_SECRET } from './harness.ts';

let fake: FakeSlack;
let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  fake = await new FakeSlack().start();
  dir = mkdtempSync(join(tmpdir(), 'ehlo-slack-start-'));
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

it('serves POST /slack/events on PORT and answers a paste in its thread; SIGTERM stops it cleanly', async () => {
  const env = {
    ...process.env,
    ...Object.fromEntries(ENV_SETTINGS.map((e) => [e.name, ''])),
    EHLO_CONFIG: '',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    EHLO_HTTP_HOST: '127.0.0.1',
    EHLO_SQLITE_PATH: join(dir, 'ehlo.sqlite'),
    EHLO_LOG_LEVEL: 'warn',
    EHLO_LOG_FORMAT: 'json',
  };
  const proc = spawn(process.execPath, [EHLO_BIN, 'start'], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ehlo start did not listen: ${stderr}`)), 20_000);
    proc.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const m = /slack listening on 127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => reject(new Error(`ehlo start exited ${code}: ${stderr}`)));
  });
  const env1 = eventEnvelope("Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=<http://libsisimai.org|libsisimai.org>]'");
  const res = await postSigned(`http://127.0.0.1:${port}/slack/events`, env1.body, 'application/json');
  expect(res.status).toBe(200);
  const end = Date.now() + 10_000;
  while (!fake.ok('chat.postMessage').length && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  expect(fake.ok('chat.postMessage')[0]?.args).toMatchObject({ thread_ts: env1.ts, metadata: { event_type: 'ehlo_diagnosis' } });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  proc.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 40_000);
