import { describe, expect, it } from 'vitest';
import { comparePinyin, pinyinInitialsOf } from './pinyin-initials.ts';

describe('pinyin initials and order', () => {
  it('reads the initials of common names', () => {
    expect(pinyinInitialsOf('王小明')).toBe('wxm');
    expect(pinyinInitialsOf('欧阳晓雨')).toBe('oyxy');
    expect(pinyinInitialsOf('陈丽')).toBe('cl');
    expect(pinyinInitialsOf('张伟')).toBe('zw');
    expect(pinyinInitialsOf('刘可欣')).toBe('lkx');
    expect(pinyinInitialsOf('何家')).toBe('hj');
    expect(pinyinInitialsOf('赵子墨')).toBe('zzm');
    expect(pinyinInitialsOf('Maria 李')).toBe('marial');
    expect(pinyinInitialsOf('三年级二班')).toBe('snjeb');
  });

  it('orders family names as a Chinese reader expects', () => {
    const names = ['周', '何', '刘', '吴', '陈', '李', '赵', '张', '欧阳'];
    expect([...names].sort(comparePinyin)).toEqual(['陈', '何', '李', '刘', '欧阳', '吴', '张', '赵', '周']);
  });
});
