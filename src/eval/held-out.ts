/**
 * The held-out files every evaluation report covers, each with the file
 * on which baseline thresholds are tuned. Paths are relative to the shared
 * data folder.
 */

/** One file of the standard report. */
export interface HeldOutFile {
  /** Name shown in reports. */
  name: string;
  /** Pair file, relative to the data folder. */
  file: string;
  /** Binary file for tuning baseline thresholds, if the kind needs one. */
  calibrate?: string;
}

/** Files the standard report evaluates on, in report order. */
export const HELD_OUT: readonly HeldOutFile[] = [
  {
    name: 'Quora test-a',
    file: 'quora/test-a.tsv',
    calibrate: 'quora/dev.tsv',
  },
  { name: 'STS-B test', file: 'stsb/test.tsv' },
  { name: 'PAWS test-a', file: 'paws/test-a.tsv', calibrate: 'paws/dev.tsv' },
  { name: 'MRPC test', file: 'mrpc/test.tsv', calibrate: 'mrpc/train.tsv' },
  { name: 'SICK trial', file: 'sick/trial.tsv' },
  {
    name: 'SemEval-2016 3B dev',
    file: 'semeval2016-3b/dev.tsv',
    calibrate: 'semeval2016-3b/train.tsv',
  },
];
