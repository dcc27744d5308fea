/** Options for {@link isCleanText}. */
export interface TextCharacterOptions {
  /** Allow line breaks (`\n`, `\r`) and tabs, for notes. Default false: one line, no tab. */
  multiline?: boolean;
}

// C0 controls other than tab, line feed and carriage return (NUL among them: PostgreSQL text refuses it), DEL, C1.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r\u2028\u2029]/;
// A half of a surrogate pair on its own is no character: it cannot be stored as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `text` holds only characters a person can type and we can store: no control
 * characters (NUL included), no lone surrogate, and no line break or tab unless `multiline`.
 *
 * @example isCleanText('李秀英') === true; isCleanText('李\u0000秀英') === false
 */
export function isCleanText(text: string, options: TextCharacterOptions = {}): boolean {
  if (CONTROL.test(text) || LONE_SURROGATE.test(text)) return false;
  return options.multiline === true || !LINE_BREAK_OR_TAB.test(text);
}
