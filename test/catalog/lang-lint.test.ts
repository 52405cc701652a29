import { describe, expect, it } from 'vitest';
import { notInLanguage } from '../../src/catalog/lint/lang.ts';
import { lintCatalog } from '../../src/catalog/lint.ts';
import { LocalBlock } from '../../src/catalog/schema.ts';

describe('localised wording lint', () => {
  it('accepts text in its language and refuses text in another', () => {
    expect(notInLanguage('Die Verbindung zu Microsoft Exchange ist nicht verfügbar', 'de')).toBeUndefined();
    expect(notInLanguage('La boîte aux lettres du destinataire est pleine', 'fr')).toBeUndefined();
    expect(notInLanguage('The recipient mailbox is full and cannot accept messages', 'de')).toMatch(/does not rank it de/);
    expect(notInLanguage('受信者のメールボックスがいっぱい', 'zh')).toMatch(/kana/);
    expect(notInLanguage('收件人的邮箱已满', 'ja')).toBeUndefined();
    expect(notInLanguage('mailbox full', 'ja')).toMatch(/kana or kanji/);
    expect(notInLanguage('邮箱已满', 'fr')).toMatch(/CJK/);
  });

  it('validates a language block with zod (a phrase needs a positive weight; a block is not empty)', () => {
    expect(LocalBlock.safeParse({ phrases: [{ phrase: 'Postfach voll', weight: 0.4 }] }).success).toBe(true);
    expect(LocalBlock.safeParse({ phrases: [{ phrase: 'Postfach voll', weight: -0.2 }] }).success).toBe(false);
    expect(LocalBlock.safeParse({}).success).toBe(false);
    expect(LocalBlock.safeParse({ symptoms: ['Postfach voll'], extra: 1 }).success).toBe(false);
  });

  it('finds no localised-wording problem in the catalog', () => {
    const { problems } = lintCatalog();
    expect(problems.filter((p) => p.message.includes('does not read as') || p.message.includes('also leads to playbook'))).toEqual([]);
  });
});
