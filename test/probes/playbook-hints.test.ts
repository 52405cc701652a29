// The finding-code → playbook table: ids are catalog-shaped and findings carry them.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Id } from '../../src/catalog/schema.ts';
import { hintedPlaybooks, playbookFor } from '../../src/probes/playbook-hints.ts';

describe('playbook hints', () => {
  it('points only at kebab-case playbook ids', () => {
    const ids = hintedPlaybooks();
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(Id.safeParse(id).success).toBe(true);
  });

  it('points only at playbooks that exist in playbooks/', () => {
    const missing = hintedPlaybooks().filter((id) => !existsSync(new URL(`../../playbooks/${id}.yaml`, import.meta.url)));
    expect(missing).toEqual([]);
  });

  it('prefers a kind-specific row', () => {
    expect(playbookFor('connect-refused', 'smtp')).toBe('smtp-connection-failed');
    expect(playbookFor('connect-refused', 'http')).toBeUndefined();
    expect(playbookFor('cert-name-mismatch', 'ews')).toBe('outlook-certificate-name-mismatch');
    expect(playbookFor('cert-name-mismatch', 'smtp')).toBe('transport-tls-certificate-invalid');
  });

  it('maps known codes and leaves others without a hint', () => {
    expect(playbookFor('starttls-missing')).toBe('starttls-required-forced-tls');
    expect(playbookFor('ip-listed')).toBe('eop-sending-ip-blocklisted');
    expect(playbookFor('banner')).toBeUndefined();
    expect(playbookFor('constructor')).toBeUndefined();
  });
});
