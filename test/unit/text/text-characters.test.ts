// One character rule for the HTTP API and the file readers.
import { describe, expect, it } from 'vitest';

import {
  characterProblem,
  codePoint,
} from '../../../src/text/text-characters.js';

describe('characterProblem', () => {
  it('passes tab, line breaks, emoji and non-Latin scripts', () => {
    expect(characterProblem('a\tb\nc\r\nd 🙂 日本語 ñ')).toBeUndefined();
  });

  it.each([
    ['\u0000', 'U+0000'],
    ['\u0012', 'U+0012'],
    ['\u007f', 'U+007F'],
    ['\u0085', 'U+0085'],
  ])('refuses the control character %j', (char, name) => {
    expect(characterProblem(`ab${char}c`)).toBe(
      `holds the control character ${name} at position 2; only tab and ` +
        'line breaks are allowed',
    );
  });

  it('keeps control characters when told to, not lone surrogates', () => {
    expect(characterProblem('a\u0012b', { controls: false })).toBeUndefined();
    expect(characterProblem('a\ud800b', { controls: false })).toBe(
      'holds an unpaired surrogate U+D800 at position 1: it is not valid ' +
        'Unicode',
    );
    expect(characterProblem('x\udc00')).toMatch(/U\+DC00 at position 1/);
  });

  it('names code points with four hex digits at least', () => {
    expect(codePoint('\u001b')).toBe('U+001B');
    expect(codePoint('🙂')).toBe('U+1F642');
  });
});
