// The Teams app package: manifest.json (top of the repo) with the app id and public host filled in
// from ehlo's configuration, checked offline against the v1.30 schema that @microsoft/app-manifest
// bundles, zipped with the two icons drawn by teams/png.ts. `npm run manifest` writes
// data/ehlo-teams.zip (upload it in Teams: Apps › Manage your apps › Upload an app).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { colorIcon, outlineIcon } from './png.ts';
import { zip } from './zip.ts';

export const MANIFEST_PATH = new URL('../manifest.json', import.meta.url);
/** The placeholders in manifest.json that configuration replaces. */
export const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';
export const PLACEHOLDER_HOST = 'ehlo.example.com';

export type Manifest = Record<string, unknown> & { manifestVersion: string; id: string };

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Manifest;
}

/** The schema @microsoft/app-manifest ships for this manifest version (no network). */
export function bundledSchema(version: string): Record<string, unknown> {
  if (!/^1\.\d{1,2}$/.test(version)) throw new Error(`unexpected manifestVersion ${version}`);
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@microsoft/app-manifest'));
  return JSON.parse(readFileSync(join(root, 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json'), 'utf8')) as Record<string, unknown>;
}

/** Schema problems of a manifest, checked against the bundled schema (empty: valid). */
export async function validateManifest(manifest: Manifest): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(manifest as never, bundledSchema(manifest.manifestVersion) as never);
}

/** manifest.json with the app id and host put in (every placeholder occurrence). */
export function fillManifest(template: Manifest, appId: string, host: string): Manifest {
  const text = JSON.stringify(template).split(PLACEHOLDER_ID).join(appId.toLowerCase()).split(PLACEHOLDER_HOST).join(host.toLowerCase());
  return JSON.parse(text) as Manifest;
}

export async function buildPackage(appId: string, host: string): Promise<{ zip: Buffer; manifest: Manifest }> {
  const manifest = fillManifest(readManifest(), appId, host);
  const problems = await validateManifest(manifest);
  if (problems.length) throw new Error(`manifest.json does not match the v${manifest.manifestVersion} schema:\n  ${problems.join('\n  ')}`);
  const icons = manifest.icons as { color: string; outline: string };
  return {
    manifest,
    zip: zip([
      { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
      { name: icons.color, data: colorIcon() },
      { name: icons.outline, data: outlineIcon() },
    ]),
  };
}
