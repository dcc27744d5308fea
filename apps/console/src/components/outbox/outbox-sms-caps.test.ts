import { translator } from '@affection/ui';
import { describe, expect, it } from 'vitest';
import { reasonText } from './outbox-table.tsx';

describe('the outbox names why a message was held back, dropped or merged by a provider’s limit per number', () => {
  const zh = translator('zh-CN');
  const en = translator('en');

  it('says our own cap reasons in words, in Chinese first', () => {
    expect(reasonText(zh, 'capped')).toBe('运营商对这个号码有发送上限：推迟到可以发的时候再发');
    expect(reasonText(zh, 'cap-exceeded')).toContain('没有发');
    expect(reasonText(zh, 'merged')).toContain('合并');
    expect(reasonText(en, 'merged')).toBe('Merged into the confirmation of this call sent just before');
  });

  it('says a message with no approved template could not be sent, and who can mend it', () => {
    expect(reasonText(zh, 'no-approved-template')).toContain('模板');
    expect(reasonText(zh, 'no-approved-template')).toContain('管理员');
  });

  it('gives any other reason by its code', () => {
    expect(reasonText(zh, 'opted-out')).toBe('原因：opted-out');
  });
});
