/**
 * Tokeniser shared by the encoder and the lexical baselines. It follows the
 * conventions of the GloVe 6B vocabulary: lower case, clitics split off
 * ("don't" -> "do", "n't"; "it's" -> "it", "'s"), numbers kept whole and
 * every punctuation mark or symbol (emoji included) a token of its own.
 */

/** Default number of tokens kept per sentence. */
export const DEFAULT_MAX_TOKENS = 48;

// Letters with inner apostrophes or hyphens, numbers with inner separators,
// or any single non-space symbol (one code point, so emoji stay whole).
const TOKEN =
  /[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*|\p{N}+(?:[.,:/]\p{N}+)*|[^\s\p{L}\p{M}\p{N}\p{C}]/gu;
const CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu;

/**
 * Splits `text` into lower-case tokens, keeping at most `maxTokens`.
 * Never throws: control characters and lone surrogates are dropped.
 */
export function tokenize(
  text: string,
  maxTokens: number = DEFAULT_MAX_TOKENS,
): string[] {
  const clean = text.normalize('NFKC').replace(CONTROL, ' ').toLowerCase();
  const out: string[] = [];

  for (const match of clean.matchAll(TOKEN)) {
    for (const token of splitClitic(match[0].replace(/’/g, "'"))) {
      out.push(token);
      if (out.length >= maxTokens) return out;
    }
  }
  return out;
}

/** "don't" -> ["do", "n't"], "john's" -> ["john", "'s"], else unchanged. */
function splitClitic(word: string): string[] {
  const quote = word.indexOf("'");
  if (quote <= 0) return [word];
  if (word.endsWith("n't") && word.length > 3) {
    return [word.slice(0, -3), "n't"];
  }
  return [word.slice(0, quote), word.slice(quote)];
}
