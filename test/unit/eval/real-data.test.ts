// The metrics and baselines on real data, against reference values
// computed once with scikit-learn 1.9.1 and scipy 1.17.1 from the same
// scores (the TF-IDF scores themselves agree with sklearn's
// TfidfVectorizer, fed this service's tokens, to within 7e-16), and, for
// SemEval, with the scoring rules of the task's official scorer.
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import type {
  BinaryPair,
  GradedPair,
  RankingPair,
} from '../../../src/data/pair-types.js';
import { readPairs } from '../../../src/data/read-pairs.js';
import { jaccardScores, tfidfScores } from '../../../src/eval/baselines.js';
import {
  accuracyAt,
  averagePrecision,
  bestThreshold,
  correlations,
  rankingMetrics,
  rocAuc,
} from '../../../src/eval/metrics.js';

const dataDir = path.resolve(import.meta.dirname, '../../../../shared/data');
const DIGITS = 9;

async function pairsOf<T>(name: string): Promise<T[]> {
  return (await readPairs(path.join(dataDir, name))).pairs as T[];
}

describe('binary metrics on quora/test-a', () => {
  let pairs: BinaryPair[];
  beforeAll(async () => {
    pairs = await pairsOf<BinaryPair>('quora/test-a.tsv');
  });

  it('Jaccard: AUC, AP and best accuracy as sklearn computes them', () => {
    const labels = pairs.map((pair) => pair.label);
    const scores = { similarity: jaccardScores(pairs) };

    expect(rocAuc(scores, labels)).toBeCloseTo(0.7225254215492132, DIGITS);
    expect(averagePrecision(scores, labels)).toBeCloseTo(
      0.6463830157926239,
      DIGITS,
    );
    const best = bestThreshold(scores, labels);
    expect(best.threshold).toBeCloseTo(0.30662393162393164, DIGITS);
    expect(best.accuracy).toBeCloseTo(0.6898129725427775, DIGITS);
    expect(accuracyAt(scores, labels, best.threshold)).toBe(best.accuracy);
  });

  it('TF-IDF: AUC, AP and best accuracy as sklearn computes them', () => {
    const labels = pairs.map((pair) => pair.label);
    const scores = { similarity: tfidfScores(pairs) };

    expect(rocAuc(scores, labels)).toBeCloseTo(0.723092940373069, DIGITS);
    expect(averagePrecision(scores, labels)).toBeCloseTo(
      0.673121344875599,
      DIGITS,
    );
    const best = bestThreshold(scores, labels);
    expect(best.threshold).toBeCloseTo(0.41259760495907083, DIGITS);
    expect(best.accuracy).toBeCloseTo(0.6828491842419419, DIGITS);
  });

  it('gives the same numbers when the scores come as energies', () => {
    const labels = pairs.map((pair) => pair.label);
    const similarity = tfidfScores(pairs);
    const energy = similarity.map((s) => 1 - s);

    expect(rocAuc({ energy }, labels)).toBeCloseTo(
      rocAuc({ similarity }, labels),
      12,
    );
    const best = bestThreshold({ energy }, labels);
    expect(best.accuracy).toBeCloseTo(0.6828491842419419, DIGITS);
    expect(1 - best.threshold).toBeCloseTo(0.41259760495907083, DIGITS);
  });
});

describe('binary metrics on paws/test-a', () => {
  it('shows word overlap at chance on adversarial pairs', async () => {
    const pairs = await pairsOf<BinaryPair>('paws/test-a.tsv');
    const labels = pairs.map((pair) => pair.label);
    const jaccard = { similarity: jaccardScores(pairs) };
    const tfidf = { similarity: tfidfScores(pairs) };

    expect(rocAuc(jaccard, labels)).toBeCloseTo(0.4874540567881412, DIGITS);
    expect(averagePrecision(tfidf, labels)).toBeCloseTo(
      0.41208650697406746,
      DIGITS,
    );
    expect(rocAuc(tfidf, labels)).toBeCloseTo(0.4826728458132633, DIGITS);
    // Nothing beats calling every pair a non-paraphrase (55.8 %), which
    // needs a cut just above TF-IDF's many scores of exactly 1.
    const best = bestThreshold(tfidf, labels);
    expect(best.accuracy).toBeCloseTo(0.558, DIGITS);
    expect(best.threshold).toBeGreaterThan(1);
  });
});

describe('correlations on stsb/dev', () => {
  it('Pearson and Spearman as scipy computes them', async () => {
    const pairs = await pairsOf<GradedPair>('stsb/dev.tsv');
    const gold = pairs.map((pair) => pair.score);

    const jaccard = correlations({ similarity: jaccardScores(pairs) }, gold);
    expect(jaccard.pearson).toBeCloseTo(0.6298343135109701, DIGITS);
    expect(jaccard.spearman).toBeCloseTo(0.6325101469463322, DIGITS);

    const tfidf = correlations({ similarity: tfidfScores(pairs) }, gold);
    expect(tfidf.pearson).toBeCloseTo(0.7463936270674097, DIGITS);
    expect(tfidf.spearman).toBeCloseTo(0.748899657666376, DIGITS);
  });
});

describe('ranking metrics on semeval2016-3b', () => {
  async function ranking(name: string): Promise<{
    groups: string[];
    labels: (0 | 1)[];
    pairs: RankingPair[];
  }> {
    const pairs = await pairsOf<RankingPair>(name);
    return {
      pairs,
      groups: pairs.map((pair) => pair.group),
      labels: pairs.map((pair) => pair.label),
    };
  }

  it("scores the search engine's own order like the official scorer", async () => {
    const dev = await ranking('semeval2016-3b/dev.tsv');
    // Rank 1 is best: ranks are energies.
    const report = rankingMetrics(
      dev.groups,
      { energy: dev.pairs.map((pair) => pair.rank) },
      dev.labels,
      { cutoff: 10 },
    );
    expect(report.map).toBeCloseTo(0.7135299099269337, DIGITS);
    expect(report.mrr).toBeCloseTo(0.7666666666666667, DIGITS);
    expect(report).toMatchObject({ queries: 50, queriesWithoutRelevant: 7 });

    const train = await ranking('semeval2016-3b/train.tsv');
    const trainReport = rankingMetrics(
      train.groups,
      { energy: train.pairs.map((pair) => pair.rank) },
      train.labels,
    );
    expect(trainReport.map).toBeCloseTo(0.6532377069290747, DIGITS);
    expect(trainReport).toMatchObject({
      queries: 267,
      queriesWithoutRelevant: 30,
    });
  });

  it('scores the lexical baselines like the official scorer', async () => {
    const dev = await ranking('semeval2016-3b/dev.tsv');
    const jaccard = rankingMetrics(
      dev.groups,
      { similarity: jaccardScores(dev.pairs) },
      dev.labels,
    );
    const tfidf = rankingMetrics(
      dev.groups,
      { similarity: tfidfScores(dev.pairs) },
      dev.labels,
    );

    expect(jaccard.map).toBeCloseTo(0.650036325270849, DIGITS);
    expect(jaccard.mrr).toBeCloseTo(0.7496666666666666, DIGITS);
    expect(tfidf.map).toBeCloseTo(0.7036472915091962, DIGITS);
    expect(tfidf.mrr).toBeCloseTo(0.7733333333333334, DIGITS);
  });
});
