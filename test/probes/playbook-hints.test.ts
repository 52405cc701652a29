// The finding-code → playbook table: ids are catalog-shaped and findings carry them.
import { describe, expect, it } from 'vitest';
import { Id } from '../../src/catalog/schema.ts';
import { hintedPlaybooks, playbookFor } from '../../src/probes/playbook-hints.ts';

describe('playbook hints', () => {
  it('points only at kebab-case playbook ids', () => {
    const ids = hintedPlaybooks();
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(Id.safeParse(id).success).toBe(true);
  });

  it('maps known codes and leaves others without a hint', () => {
    expect(playbookFor('starttls-missing')).toBe('starttls-required');
    expect(playbookFor('ip-listed')).toBe('ip-blocklisted');
    expect(playbookFor('banner')).toBeUndefined();
    expect(playbookFor('constructor')).toBeUndefined();
  });
});
