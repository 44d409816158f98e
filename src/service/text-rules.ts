/**
 * The rules every text the service embeds must follow, checked at the
 * service's door so that the HTTP API, the importer and the retraining
 * loop all refuse the same things with the same messages.
 */
import { AppError, ErrorCode } from '../errors/app-error.js';
import { characterProblem } from '../text/text-characters.js';

/**
 * Returns `text` unchanged after checking that it is a string, not blank
 * (white space only), at most `maxChars` characters, free of control
 * characters other than tab and line breaks, and well-formed Unicode
 * (the character rule is shared with the file readers, see
 * text-characters.ts). Throws `bad_input` whose details name `field`.
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

  const problem = characterProblem(text);
  if (problem !== undefined) throw badField(field, `${field} ${problem}`);
  return text;
}

/** Longest external id accepted, in characters. */
export const MAX_EXTERNAL_ID_CHARS = 256;

/**
 * Returns an external id unchanged after checking that it is a string of
 * 1 to MAX_EXTERNAL_ID_CHARS characters, not only white space, with no
 * white space at either end (ids are matched exactly, so " q1" would
 * never find "q1") and the characters a text may hold. Throws
 * `bad_input` naming `field`.
 */
export function checkExternalId(field: string, id: unknown): string {
  if (typeof id !== 'string') {
    throw badField(field, `${field} must be a string`);
  }
  if (id.length === 0 || id.length > MAX_EXTERNAL_ID_CHARS) {
    throw badField(
      field,
      `${field} must be 1 to ${MAX_EXTERNAL_ID_CHARS} characters; got ` +
        `${id.length}`,
    );
  }
  if (id.trim() !== id) {
    throw badField(
      field,
      `${field} must not start or end with white space; got ` +
        JSON.stringify(id),
    );
  }
  const problem = characterProblem(id);
  if (problem !== undefined) throw badField(field, `${field} ${problem}`);
  return id;
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
