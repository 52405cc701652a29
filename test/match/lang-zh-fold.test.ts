import { describe, expect, it } from 'vitest';
import { CjkPhraseIndex, foldTraditional } from '../../src/match/cjk.ts';
import { Found } from '../../src/match/evidence.ts';
import { WordBuf } from '../../src/match/lexicon.ts';
import { splitWords } from '../../src/match/words.ts';
import { defaultMatcher } from '../../src/match/index.ts';

function scan(index: CjkPhraseIndex, text: string, size = 4): Found {
  const found = new Found(size);
  found.reset(size);
  index.scan(WordBuf.fromWords(splitWords(text)), found);
  return found;
}

describe('Traditional Chinese read as Simplified', () => {
  it('folds characters and Taiwan words, keeping the length', () => {
    const tw = '收件者信箱容量已滿，無法傳送郵件';
    const cn = foldTraditional(tw);
    expect(cn).toBe('收件人邮箱容量已满，无法发送邮件');
    expect(cn.length).toBe(tw.length);
    expect(foldTraditional('邮箱已满 mailbox full')).toBe('邮箱已满 mailbox full');
  });

  it('finds a Simplified phrase in a Traditional paste', () => {
    const index = new CjkPhraseIndex();
    index.add('错误的出站发件人', 0);
    expect(scan(index, '遠端伺服器傳回 550 5.1.8 存取被拒，錯誤的外寄寄件者').has(0)).toBe(true);
  });

  it('takes no phrase that follows an example or a supposition word', () => {
    const index = new CjkPhraseIndex();
    index.add('邮箱已满', 0);
    expect(scan(index, '投递失败的原因有很多比如收件人邮箱已满').has(0)).toBe(false);
    expect(scan(index, '退信说明收件人邮箱已满').has(0)).toBe(true);
  });
});

describe('Chinese pastes through the matcher', () => {
  const matcher = defaultMatcher();

  it('matches a Traditional NDR sentence to its playbook', () => {
    const r = matcher.match('遠端伺服器傳回 ‘550 5.1.8 存取被拒，錯誤的外寄寄件者。’');
    expect(r.verdict).not.toBe('none');
    expect(r.matches[0]?.topics[0]).toBe('sender-banned-outbound-spam');
  });

  it('answers none for a help page that lists troubles in general', () => {
    const page = '在使用企业邮箱的过程中，部分用户可能会遇到无法正常发送邮件的问题。本文将探讨导致这一现象的常见原因，并提供相应的解决方案。一、网络连接问题：连接不稳定或者中断时，就无法成功地将邮件传输到SMTP服务器。';
    expect(matcher.match(page).verdict).toBe('none');
  });
});
