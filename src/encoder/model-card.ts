/**
 * The model card written beside every model: what it is, what data it saw
 * under which terms, how it was trained and how it scored.
 */
import path from 'node:path';

import type { ModelManifest } from './model-files.js';

/** Terms of the public pair sets, by the folder name they live in. */
export const DATA_TERMS: Record<string, string> = {
  quora: "Quora Question Pairs; Quora's terms, non-commercial use",
  paws: 'PAWS-Wiki; free use with attribution to Google',
  stsb: 'STS Benchmark; scores CC BY-SA 4.0, sentences keep their licences',
  sick: 'SICK; CC BY-NC-SA 3.0, non-commercial',
  mrpc: 'Microsoft Research Paraphrase Corpus; shared-source, non-commercial',
  'semeval2016-3b': 'SemEval-2016 task 3; free for research use',
};

/** Markdown model card for `manifest`, with `metrics` when known. */
export function modelCard(
  manifest: ModelManifest,
  metrics?: Record<string, unknown>,
): string {
  const c = manifest.config;
  const t = manifest.training as {
    files?: string[];
    validationFiles?: string[];
    pairs?: number;
    bestEpoch?: number;
    seed?: number;
    epochs?: { validation?: { accuracy?: number; spearman?: number } }[];
  };
  const files = [
    ...timesEach(t.files ?? []),
    ...timesEach(t.validationFiles ?? []),
  ];
  const best = t.epochs?.[(t.bestEpoch ?? 1) - 1]?.validation;

  const lines = [
    `# Model card: ${manifest.version}`,
    '',
    'A siamese LSTM sentence encoder: both sentences pass through the same',
    'network and the energy E (Euclidean distance between the two vectors)',
    'is small for duplicates and paraphrases. Trained with the contrastive',
    `loss, margin ${c.margin}.`,
    '',
    '## Architecture',
    '',
    `- Word vectors: ${manifest.vectors.source} (frozen; unknown words hashed`,
    `  into ${c.oovBuckets} fixed vectors), at most ${c.maxLength} tokens`,
    `- LSTM: ${c.units} units${c.bidirectional ? ', bidirectional' : ''},` +
      ` ${c.pooling} pooling` +
      (c.wordSkip ? ', plus the mean word vector' : ''),
    `- Output: ${c.projection > 0 ? `projection to ${c.projection}` : 'no projection'}` +
      (c.lexicalDim > 0
        ? `, plus a ${c.lexicalDim}-d hashed bag of words`
        : '') +
      (c.normalize ? ', L2-normalised' : ''),
    `- Duplicate threshold: energy <= ${manifest.threshold.toFixed(4)}` +
      ' (maximises accuracy on the validation file)',
    '',
    '## Data',
    '',
    ...files.map(
      ([f, times]) =>
        `- \`${displayPath(f)}\`${timesLabel(times)}: ${termsOf(f)}`,
    ),
    '',
    'A model trained on these sets inherits their terms; several are',
    'non-commercial.',
    '',
    '## Training',
    '',
    `- Pairs: ${t.pairs ?? 'unknown'}; seed ${t.seed ?? 'unknown'};` +
      ` best epoch ${t.bestEpoch ?? 'unknown'}`,
  ];
  if (best?.accuracy !== undefined) {
    lines.push(`- Validation accuracy: ${(best.accuracy * 100).toFixed(2)} %`);
  }
  if (best?.spearman !== undefined) {
    lines.push(`- Validation Spearman: ${best.spearman.toFixed(4)}`);
  }
  if (metrics) {
    lines.push(
      '',
      '## Evaluation',
      '',
      '```json',
      JSON.stringify(metrics, null, 2),
      '```',
    );
  }
  lines.push(
    '',
    '## Limits',
    '',
    '- English only; other scripts fall back to hashed vectors.',
    '- Judges wording, not facts: questions differing in one name or',
    '  number can score as near-duplicates. Flags are advisory.',
    '',
  );
  return lines.join('\n');
}

/**
 * Each file once, in order of first appearance, with how many times it
 * was given: a training file given twice is read twice per epoch, which
 * weighs its pairs double.
 */
export function timesEach(files: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const file of files) counts.set(file, (counts.get(file) ?? 0) + 1);
  return [...counts];
}

/** ` (twice)`, ` (3 times)`, or nothing for a file given once. */
export function timesLabel(times: number): string {
  if (times === 1) return '';
  return times === 2 ? ' (twice)' : ` (${times} times)`;
}

/** Terms of the first public set named in the file's path, if any. */
function termsOf(file: string): string {
  const lower = file.toLowerCase();
  const key = Object.keys(DATA_TERMS).find((name) => lower.includes(name));
  return key ? (DATA_TERMS[key] as string) : 'user-supplied data';
}

function displayPath(file: string): string {
  const parts = file.split(path.sep);
  return parts.slice(-2).join('/');
}
