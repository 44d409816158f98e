/**
 * The rules every text the service embeds must follow, checked at the
 * service's door so that the HTTP API, the importer and the retraining
 * loop all refuse the same things with the same messages.
 */
import { AppError, ErrorCode } from '../errors/app-error.js';

/**
 * Control characters a text may not hold: C0 and C1 controls and DEL,
 * but not tab, line feed and carriage return, which real questions
 * carry. A NUL or an escape sequence in a question is a broken client,
 * and stored it would show up in every neighbour list.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * Half of a UTF-16 surrogate pair without its other half, as a JSON
 * escape such as "\ud800" makes: no UTF-8 can store it, so SQLite
 * would keep a replacement character instead of what was sent.
 */
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Returns `text` unchanged after checking that it is a string, not blank
 * (white space only), at most `maxChars` characters, free of control
 * characters other than tab and line breaks, and well-formed Unicode.
 * Throws `bad_input` whose details name `field`.
 */
export function checkText(
  field: string,
  text: unknown,
  maxChars: number,
): string {
  if (typeof text !== 'string') {
    throw badField(field, `${field} must be a string`);
  }
  if (text.trim() === '') {
    throw badField(field, `${field} must not be empty or only white space`);
  }
  if (text.length > maxChars) {
    throw badField(
      field,
      `${field} is ${text.length} characters long; the limit is ` +
        `${maxChars} (MAX_TEXT_CHARS)`,
    );
  }

  const control = CONTROL.exec(text);
  if (control) {
    throw badField(
      field,
      `${field} holds the control character ${codePoint(control[0])} at ` +
        `position ${control.index}; only tab and line breaks are allowed`,
    );
  }
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    throw badField(
      field,
      `${field} holds an unpaired surrogate ${codePoint(surrogate[0])} at ` +
        `position ${surrogate.index}: it is not valid Unicode`,
    );
  }
  return text;
}

/** `U+001B` for the character "\u001b". */
function codePoint(char: string): string {
  const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase();
  return `U+${hex.padStart(4, '0')}`;
}

/**
 * Checks a neighbour count: an integer from 1 to `max`. Throws
 * `bad_input` naming `field`.
 */
export function checkK(field: string, k: unknown, max: number): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > max) {
    throw badField(
      field,
      `${field} must be an integer from 1 to ${max} (MAX_K); ` +
        `got ${shown(k)}`,
    );
  }
  return k;
}

/** Checks an energy bound: a finite number >= 0, or undefined. */
export function checkMaxEnergy(
  field: string,
  value: unknown,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw badField(
      field,
      `${field} must be a finite number >= 0; got ${shown(value)}`,
    );
  }
  return value;
}

/** A value as a message shows it. */
function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? 'nothing';
}

/** A `bad_input` error about one field, named in its details. */
export function badField(field: string, message: string): AppError {
  return new AppError(ErrorCode.BadInput, message, { field });
}
