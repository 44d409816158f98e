/**
 * The characters a stored text may not hold, in one place for every way
 * texts come in: the HTTP API (src/service/text-rules.ts) and the file
 * readers (src/data/field-checks.ts) both ask {@link characterProblem}.
 */

/**
 * Control characters a text may not hold: C0 and C1 controls and DEL,
 * but not tab, line feed and carriage return, which real questions
 * carry. A NUL or an escape sequence in a question is a broken client,
 * and stored it would show up in every neighbour list.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * Half of a UTF-16 surrogate pair without its other half, as a JSON
 * escape such as "\ud800" makes: no UTF-8 can store it, so SQLite or a
 * written file would keep a replacement character instead.
 */
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Which characters {@link characterProblem} looks for. */
export interface CharacterRules {
  /**
   * Also refuse control characters other than tab, LF and CR. Unpaired
   * surrogates are always refused. Default true.
   */
  controls?: boolean;
}

/**
 * What is wrong with the characters of `text`, as the end of a sentence
 * whose subject the caller supplies ("holds the control character U+0012
 * at position 4; ..."), or undefined when nothing is. Positions count
 * UTF-16 code units from 0.
 */
export function characterProblem(
  text: string,
  rules: CharacterRules = {},
): string | undefined {
  const control = rules.controls === false ? null : CONTROL.exec(text);
  if (control) {
    return (
      `holds the control character ${codePoint(control[0])} at ` +
      `position ${control.index}; only tab and line breaks are allowed`
    );
  }

  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    return (
      `holds an unpaired surrogate ${codePoint(surrogate[0])} at ` +
      `position ${surrogate.index}: it is not valid Unicode`
    );
  }
  return undefined;
}

/** `U+001B` for the character "\u001b". */
export function codePoint(char: string): string {
  const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase();
  return `U+${hex.padStart(4, '0')}`;
}
