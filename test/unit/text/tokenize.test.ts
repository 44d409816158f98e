import { describe, expect, it } from 'vitest';

import { tokenize } from '../../../src/text/tokenize.js';

describe('tokenize', () => {
  it('lower-cases and splits punctuation', () => {
    expect(tokenize('How do I learn Python?')).toEqual([
      'how',
      'do',
      'i',
      'learn',
      'python',
      '?',
    ]);
  });

  it('splits clitics the way GloVe does', () => {
    expect(tokenize("Don't stop John's car")).toEqual([
      'do',
      "n't",
      'stop',
      'john',
      "'s",
      'car',
    ]);
  });

  it('keeps numbers whole', () => {
    expect(tokenize('It costs 1,000.50 in 2024')).toEqual([
      'it',
      'costs',
      '1,000.50',
      'in',
      '2024',
    ]);
  });

  it('survives emoji, other scripts and control characters', () => {
    const tokens = tokenize('Привет 👋\u0000 世界\u200b\ud800 ok');
    expect(tokens).toContain('привет');
    expect(tokens).toContain('👋');
    expect(tokens).toContain('ok');
    expect(tokens.join(' ')).not.toMatch(/[\u0000\u200b\ud800]/);
  });

  it('truncates to the maximum length', () => {
    expect(tokenize('a b c d e f', 3)).toEqual(['a', 'b', 'c']);
  });

  it('returns nothing for blank text', () => {
    expect(tokenize('  \n\t ')).toEqual([]);
  });
});
