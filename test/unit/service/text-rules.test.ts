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
