/**
 * Shapes of the labelled sentence pairs the service trains and evaluates
 * on, as read from pair files.
 */

/** What a pair file's numbers mean. */
export type PairKind = 'binary' | 'graded' | 'ranking';

/**
 * One sentence pair. The narrower types below say which optional fields
 * a pair of each kind always carries.
 */
export interface Pair {
  /** Pair id from the file; the 1-based line number when it has none. */
  id: string;
  /** First text (for ranking files: the query). */
  a: string;
  /** Second text (for ranking files: the candidate). */
  b: string;
  /** 1-based line of the file the pair starts on. */
  line: number;
  /** 1 = duplicate / paraphrase / relevant, 0 = not. */
  label?: 0 | 1;
  /** Graded similarity, in the file's own scale (STS-B 0-5, SICK 1-5). */
  score?: number;
  /** SICK entailment class, e.g. `NEUTRAL`, kept as written. */
  entailment?: string;
  /** Ranking files: the query id the candidate belongs to. */
  group?: string;
  /** Ranking files: the search engine's 1-based rank of the candidate. */
  rank?: number;
}

/** A pair labelled duplicate (1) or not (0). */
export interface BinaryPair extends Pair {
  label: 0 | 1;
}

/** A pair with a graded human similarity score. */
export interface GradedPair extends Pair {
  score: number;
}

/** A query-candidate pair from a ranking file (SemEval-2016 3B). */
export interface RankingPair extends Pair {
  label: 0 | 1;
  group: string;
  rank: number;
}

/** Smallest and largest value seen in a column. */
export interface ValueRange {
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
}

/** Fields every pair file has, whatever its kind. */
interface PairFileBase {
  /** Path the pairs were read from, as given by the caller. */
  file: string;
}

/** A file of pairs labelled 0/1 (Quora, PAWS, MRPC). */
export interface BinaryPairFile extends PairFileBase {
  kind: 'binary';
  pairs: BinaryPair[];
}

/** A file of pairs with graded scores (STS-B, SICK). */
export interface GradedPairFile extends PairFileBase {
  kind: 'graded';
  pairs: GradedPair[];
  /** Range of the scores seen in the file. */
  scoreRange: ValueRange;
}

/** A file of query-candidate pairs grouped by query (SemEval 3B). */
export interface RankingPairFile extends PairFileBase {
  kind: 'ranking';
  pairs: RankingPair[];
  /** Number of distinct queries. */
  groups: number;
}

/** Everything a pair file can hold; switch on `kind`. */
export type PairFile = BinaryPairFile | GradedPairFile | RankingPairFile;

/** One text to import, from an item file. */
export interface Item {
  /** The text itself, trimmed. */
  text: string;
  /** The caller's own id for the text, when the file has one. */
  externalId?: string;
  /** Free-form JSON object stored with the text. */
  metadata?: Record<string, unknown>;
  /** 1-based line of the file the item starts on. */
  line: number;
}

/** Texts read from an item file. */
export interface ItemFile {
  /** Path the items were read from, as given by the caller. */
  file: string;
  /** The items, in file order. */
  items: Item[];
}

/** Limits shared by the pair and item readers. */
export interface ReadOptions {
  /**
   * Longest text accepted, in characters (UTF-16 code units).
   * Default {@link DEFAULT_MAX_TEXT_LENGTH}.
   */
  maxTextLength?: number;
  /**
   * Refuse texts holding control characters other than tab, LF and CR,
   * as the service does for what it stores (the importer sets it).
   * Default false: pair files for training, evaluation and splitting
   * keep them, since public data sets carry a few stray ones (a U+0012
   * inside a word in STS-B and MRPC) and the tokenizer reads them as
   * spaces. Invalid UTF-8 and unpaired surrogates are refused always.
   */
  refuseControls?: boolean;
}

/** Longest text a reader accepts unless told otherwise: 10,000 chars. */
export const DEFAULT_MAX_TEXT_LENGTH = 10_000;
