/**
 * The first character of each pinyin initial (A, B, C, D, E, F, G, H, J, K, L, M, N, O, P, Q, R, S, T, W, X, Y, Z) in
 * the order of the Chinese pinyin collation: a character sorts at or after its initial's boundary and before the
 * next one. There is no I, U or V initial in Mandarin.
 */
const BOUNDARIES = [...'阿八嚓哒妸发旮哈讥咔垃妈拏噢妑七呥扨它穵夕丫帀'];
const LETTERS = [...'ABCDEFGHJKLMNOPQRSTWXYZ'];

const collator = new Intl.Collator('zh-CN-u-co-pinyin');

/**
 * The pinyin initials of a name as lower-case letters (王小明 → wxm, 欧阳晓雨 → oyxy), for finding a child by typing
 * "wxm". Latin letters and digits stay as they are (lower-cased); other characters are left out. Read from the pinyin
 * collation of the platform's ICU, so a rare character may get the initial of its neighbour.
 */
export function pinyinInitialsOf(name: string): string {
  let out = '';
  for (const char of name) {
    if (/[a-z0-9]/i.test(char)) {
      out += char.toLowerCase();
      continue;
    }
    if (!/\p{Script=Han}/u.test(char)) continue;
    let found = -1;
    for (let i = 0; i < BOUNDARIES.length; i += 1) {
      if (collator.compare(char, BOUNDARIES[i]!) >= 0) found = i;
      else break;
    }
    if (found >= 0) out += LETTERS[found]!.toLowerCase();
  }
  return out;
}

/** Compares two names in pinyin order (陈 before 何 before 李), as a Chinese reader expects a list. */
export function comparePinyin(a: string, b: string): number {
  return collator.compare(a, b);
}
