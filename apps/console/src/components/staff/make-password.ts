/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';

/**
 * A new initial password, made in the browser from the platform's random source: three groups of
 * four (`k7m2-p9x4-q1b8`, 14 characters, about 59 bits), easy to read out to a teacher.
 */
export function makePassword(
  random: (bytes: Uint8Array<ArrayBuffer>) => void = (bytes) => crypto.getRandomValues(bytes),
): string {
  const out: string[] = [];
  const bytes = new Uint8Array(1);
  // 248 = 8 × 31: bytes at or above it would make some letters likelier, so they are drawn again.
  while (out.length < 12) {
    random(bytes);
    const byte = bytes[0] as number;
    if (byte < 248) out.push(ALPHABET[byte % ALPHABET.length] as string);
  }
  return [out.slice(0, 4), out.slice(4, 8), out.slice(8)].map((group) => group.join('')).join('-');
}
