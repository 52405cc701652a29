import { describe, expect, it } from 'vitest';
import { CjkPhraseIndex, cjkKey, isCjkPhrase } from '../../src/match/cjk.ts';
import { Found } from '../../src/match/evidence.ts';
import { WordBuf } from '../../src/match/lexicon.ts';
import { splitWords } from '../../src/match/words.ts';

function scan(index: CjkPhraseIndex, text: string, size = 8): Found {
  const found = new Found(size);
  found.reset(size);
  index.scan(WordBuf.fromWords(splitWords(text)), found);
  return found;
}

describe('CJK phrases', () => {
  const index = new CjkPhraseIndex();
  index.add('收件人的邮箱已满', 0);
  index.add('メッセージ サイズの制限を超え', 1);
  index.add('Microsoft Exchange への接続は使用できません', 2);
  index.add('邮箱已满', 3);

  it('tells CJK phrases from others and keys them without spaces', () => {
    expect(isCjkPhrase('邮箱已满')).toBe(true);
    expect(isCjkPhrase('mailbox full')).toBe(false);
    expect(cjkKey('メッセージ サイズ')).toBe('メッセージサイズ');
  });

  it('finds a phrase inside a run of Chinese with no spaces, and the phrases inside it', () => {
    const text = '您的邮件无法送达因为收件人的邮箱已满请稍后再试';
    const found = scan(index, text);
    expect(found.has(0)).toBe(true);
    expect(found.has(3)).toBe(true);
    expect(found.get(0)).toEqual([0, text.length]);
  });

  it('reads across the spaces Japanese puts between words and around Latin names', () => {
    expect(scan(index, '送信エラー: メッセージ サイズの制限を超えています').has(1)).toBe(true);
    expect(scan(index, 'エラー: Microsoft Exchange への接続は使用できません。').has(2)).toBe(true);
  });

  it('does not join words across a longer gap, nor match on Latin text alone', () => {
    expect(scan(index, 'メッセージ   サイズの制限を超え').has(1)).toBe(false);
    expect(scan(index, 'Microsoft Exchange is unavailable').has(2)).toBe(false);
  });

  it('stays bounded on a huge hostile CJK paste', () => {
    const huge = '邮'.repeat(300_000) + ' 收件人的邮箱已满';
    const found = scan(index, huge);
    // Past the character budget nothing more is read: the phrase at the far end is not reached.
    expect(found.has(0)).toBe(false);
  });
});
