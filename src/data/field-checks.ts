/**
 * Checks and converts single values read from a data file. Each check
 * names the file, the 1-based line, the column, what it expected and
 * what it found.
 */
import { FileFormatError } from '../errors/app-error.js';
import {
  characterProblem,
  type CharacterRules,
} from '../text/text-characters.js';
import { DEFAULT_MAX_TEXT_LENGTH, type ReadOptions } from './pair-types.js';

/** Where a value came from, for error messages. */
export interface FieldPlace {
  /** Path of the file. */
  file: string;
  /** 1-based line of the row. */
  line: number;
}

/** How texts are checked: the length limit and the character rules. */
export interface TextRules extends CharacterRules {
  /** Longest text accepted, in characters (UTF-16 code units). */
  maxLength: number;
}

/** The text rules `options` ask for, defaults filled in. */
export function textRules(options: ReadOptions): TextRules {
  return {
    maxLength: options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH,
    controls: options.refuseControls === true,
  };
}

// A plain decimal number, optionally signed, with an optional exponent.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A non-empty text of at most `rules.maxLength` characters, trimmed.
 * Accepts only strings, so a JSON number in a text field is an error.
 * Refuses unpaired surrogates (a JSON escape such as "\ud800"), and
 * control characters other than tab and line breaks unless
 * `rules.controls` is false: the characters the HTTP API refuses.
 */
export function readText(
  place: FieldPlace,
  column: string,
  value: unknown,
  rules: TextRules,
): string {
  const { maxLength } = rules;
  if (value === undefined || value === null) {
    fail(place, `missing text in column '${column}'`);
  }
  if (typeof value !== 'string') {
    fail(place, `column '${column}' must hold text, found ${describe(value)}`);
  }

  const text = value.trim();
  if (text === '') fail(place, `empty text in column '${column}'`);
  if (text.length > maxLength) {
    fail(
      place,
      `text in column '${column}' is ${text.length} characters long; ` +
        `the limit is ${maxLength} (maxTextLength)`,
    );
  }

  const problem = characterProblem(text, rules);
  if (problem !== undefined)
    fail(place, `text in column '${column}' ${problem}`);
  return text;
}

/** A 0/1 label: the strings "0" and "1" or the JSON numbers 0 and 1. */
export function readLabel(
  place: FieldPlace,
  column: string,
  value: unknown,
): 0 | 1 {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text === 'string') {
    const trimmed = text.trim();
    if (trimmed === '0') return 0;
    if (trimmed === '1') return 1;
  }
  fail(place, `column '${column}' must be 0 or 1, found ${describe(value)}`);
}

/** A finite number, written as a decimal string or a JSON number. */
export function readNumber(
  place: FieldPlace,
  column: string,
  value: unknown,
): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMBER.test(value.trim())) {
    const parsed = Number(value.trim());
    if (Number.isFinite(parsed)) return parsed;
  }
  fail(place, `column '${column}' must be a number, found ${describe(value)}`);
}

/** A whole number of at least 1. */
export function readPositiveInteger(
  place: FieldPlace,
  column: string,
  value: unknown,
): number {
  const number = readNumber(place, column, value);
  if (!Number.isInteger(number) || number < 1) {
    fail(
      place,
      `column '${column}' must be a whole number of at least 1, ` +
        `found ${describe(value)}`,
    );
  }
  return number;
}

/**
 * An identifier: a non-empty string, or a JSON integer turned into one.
 * Undefined when the column is absent; an empty value is an error.
 */
export function readId(
  place: FieldPlace,
  column: string,
  value: unknown,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) {
    return String(value);
  }
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  fail(
    place,
    `column '${column}' must be a non-empty id, found ${describe(value)}`,
  );
}

/** An optional string: undefined when absent or empty. */
export function readOptionalText(
  place: FieldPlace,
  column: string,
  value: unknown,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    fail(place, `column '${column}' must hold text, found ${describe(value)}`);
  }
  const text = value.trim();
  return text === '' ? undefined : text;
}

/**
 * An optional JSON object: given as an object (JSON Lines) or as a
 * string holding one (TSV/CSV). Undefined when absent or empty.
 */
export function readJsonObject(
  place: FieldPlace,
  column: string,
  value: unknown,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;

  let parsed: unknown = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      fail(
        place,
        `column '${column}' must hold a JSON object, ` +
          `found ${describe(value)}`,
      );
    }
  }

  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail(
      place,
      `column '${column}' must hold a JSON object, found ${describe(value)}`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** A short, quoted rendering of a bad value for an error message. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON.stringify gives undefined only for functions and symbols.
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function fail(place: FieldPlace, problem: string): never {
  throw new FileFormatError(place.file, place.line, problem);
}
