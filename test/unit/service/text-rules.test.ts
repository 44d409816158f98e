import { describe, expect, it } from 'vitest';

import { AppError } from '../../../src/errors/app-error.js';
import {
  checkK,
  checkMaxEnergy,
  checkText,
} from '../../../src/service/text-rules.js';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
  }
  throw new Error('expected an AppError');
}

describe('text rules', () => {
  it('accepts a text as given, spaces kept', () => {
    expect(checkText('text', '  hello ', 10)).toBe('  hello ');
  });

  it.each([
    ['empty', ''],
    ['white space', ' \t\n '],
    ['not a string', 42],
  ])('refuses a text that is %s', (_, value) => {
    const err = thrown(() => checkText('items.2.text', value, 10));
    expect(err.code).toBe('bad_input');
    expect(err.details).toEqual({ field: 'items.2.text' });
  });

  it.each([
    ['NUL', 'a\u0000b', 'U+0000', 1],
    ['escape', 'ab\u001b[0m', 'U+001B', 2],
    ['vertical tab', '\u000bx', 'U+000B', 0],
    ['DEL', 'x\u007f', 'U+007F', 1],
    ['C1 next line', 'x\u0085', 'U+0085', 1],
  ])('refuses the control character %s, naming it', (_, text, shown, at) => {
    const err = thrown(() => checkText('b', text, 100));
    expect(err.details).toEqual({ field: 'b' });
    expect(err.message).toBe(
      `b holds the control character ${shown} at position ${at}; only ` +
        'tab and line breaks are allowed',
    );
  });

  it('keeps tab, line feed, carriage return and astral characters', () => {
    const text = 'a\tb\nc\r\nd 🍕 𝔘';
    expect(checkText('text', text, 100)).toBe(text);
  });

  it.each([
    ['a high half alone', 'x\ud800y', 'U+D800', 1],
    ['a low half alone', '\udc00', 'U+DC00', 0],
    ['a high half at the end', 'ab\udbff', 'U+DBFF', 2],
  ])('refuses %s of a surrogate pair', (_, text, shown, at) => {
    const err = thrown(() => checkText('text', text, 100));
    expect(err.message).toBe(
      `text holds an unpaired surrogate ${shown} at position ${at}: it is ` +
        'not valid Unicode',
    );
  });

  it('names the limit when a text is too long', () => {
    const err = thrown(() => checkText('text', 'x'.repeat(11), 10));
    expect(err.message).toBe(
      'text is 11 characters long; the limit is 10 (MAX_TEXT_CHARS)',
    );
  });

  it.each([0, -1, 1.5, 101, Number.NaN, '3'])('refuses k = %s', (k) => {
    expect(thrown(() => checkK('k', k, 100)).details).toEqual({ field: 'k' });
  });

  it('accepts k from 1 to the maximum', () => {
    expect(checkK('k', 1, 100)).toBe(1);
    expect(checkK('k', 100, 100)).toBe(100);
  });

  it('accepts a missing or non-negative max_energy only', () => {
    expect(checkMaxEnergy('max_energy', undefined)).toBeUndefined();
    expect(checkMaxEnergy('max_energy', 0)).toBe(0);
    for (const bad of [-0.1, Infinity, 'x']) {
      expect(thrown(() => checkMaxEnergy('max_energy', bad)).code).toBe(
        'bad_input',
      );
    }
  });
});
