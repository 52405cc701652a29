// manifest.json checked offline against the Teams v1.30 schema that @microsoft/app-manifest bundles,
// plus what ehlo needs of it (the bot in three scopes, the command list, RSC to read channel messages
// without a mention, validDomains); the app package built from configuration: the filled manifest
// still valid, the two icons we draw at the sizes Teams requires, a zip any unzip tool reads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_SETTINGS } from '../../../src/config.ts';
import { buildPackage, fillManifest, PLACEHOLDER_HOST, PLACEHOLDER_ID, readManifest, validateManifest } from '../../../teams/package.ts';
import { colorIcon, outlineIcon, pngInfo } from '../../../teams/png.ts';
import { unzip } from '../../../teams/zip.ts';

const APP_ID = '0B5C1D9E-2F3A-4B6C-8D7E-9F0A1B2C3D4E';
const HOST = 'ehlo.contoso.com';

describe('manifest.json', () => {
  it('is valid against the bundled v1.30 schema, and the check can fail', async () => {
    const m = readManifest();
    expect(m.manifestVersion).toBe('1.30');
    expect(String(m.$schema)).toContain('/v1.30/MicrosoftTeams.schema.json');
    expect(await validateManifest(m)).toEqual([]);
    const broken = { ...m, bots: [{ ...(m.bots as object[])[0], scopes: ['everywhere'] }], description: { short: 'x'.repeat(81) } };
    expect((await validateManifest(broken as typeof m)).length).toBeGreaterThanOrEqual(2);
  });

  it('declares the bot in team, group chat and personal scopes with the command list, RSC and validDomains', () => {
    const m = readManifest() as Record<string, unknown>;
    const bot = (m.bots as { botId: string; scopes: string[]; commandLists: { scopes: string[]; commands: { title: string }[] }[] }[])[0]!;
    expect(bot.botId).toBe(m.id);
    expect(bot.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.commandLists[0]!.commands.map((c) => c.title)).toEqual(['match', 'probe', 'playbooks', 'start', 'status', 'escalate', 'help']);
    const rsc = (m.authorization as { permissions: { resourceSpecific: { name: string; type: string }[] } }).permissions.resourceSpecific;
    expect(rsc).toContainEqual({ name: 'ChannelMessage.Read.Group', type: 'Application' });
    expect((m.webApplicationInfo as { id: string }).id).toBe(m.id);
    expect(m.validDomains).toEqual([PLACEHOLDER_HOST]);
  });
});

describe('the app package (npm run manifest)', () => {
  it('fills the app id and host from configuration and zips the manifest with the two icons', async () => {
    const { zip, manifest } = await buildPackage(APP_ID, HOST);
    const entries = unzip(zip);
    expect(entries.map((e) => e.name)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const packed = JSON.parse(entries[0]!.data.toString('utf8')) as Record<string, unknown>;
    expect(packed).toEqual(manifest);
    const text = JSON.stringify(packed);
    expect(text).not.toContain(PLACEHOLDER_ID);
    expect(text).not.toContain(PLACEHOLDER_HOST);
    expect(packed.id).toBe(APP_ID.toLowerCase());
    expect(packed.validDomains).toEqual([HOST]);
    expect(await validateManifest(packed as never)).toEqual([]);
    // Teams: colour 192×192, outline 32×32 white on transparent.
    expect(pngInfo(entries[1]!.data)).toMatchObject({ width: 192, height: 192, colorType: 6 });
    expect(pngInfo(entries[2]!.data)).toMatchObject({ width: 32, height: 32, colorType: 6 });
    expect(fillManifest(readManifest(), APP_ID, HOST)).toEqual(manifest);
  });

  it('draws the icons kept in teams/ (the same bytes every time)', () => {
    expect(colorIcon().equals(readFileSync(new URL('../../../teams/color.png', import.meta.url)))).toBe(true);
    expect(outlineIcon().equals(readFileSync(new URL('../../../teams/outline.png', import.meta.url)))).toBe(true);
  });

  it('writes data/ehlo-teams.zip from the environment, and explains what is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-manifest-'));
    const clean = Object.fromEntries(['EHLO_CONFIG', ...ENV_SETTINGS.map((e) => e.name)].map((n) => [n, '']));
    const script = new URL('../../../teams/build.ts', import.meta.url).pathname;
    try {
      const out = join(dir, 'pkg.zip');
      execFileSync(process.execPath, [script, out], { cwd: dir, env: { ...process.env, ...clean, TEAMS_APP_ID: APP_ID, TEAMS_PUBLIC_HOST: HOST } });
      expect(unzip(readFileSync(out)).map((e) => e.name)).toContain('manifest.json');
      let stderr = '';
      try {
        execFileSync(process.execPath, [script, out], { cwd: dir, env: { ...process.env, ...clean }, stdio: 'pipe' });
      } catch (err) {
        stderr = String((err as { stderr: Buffer }).stderr);
      }
      expect(stderr).toContain('TEAMS_PUBLIC_HOST');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
