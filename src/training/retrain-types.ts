/** The shapes a retrain job takes, reports and returns. */

/** Why a retrain was asked for. */
export type RetrainReason = 'api' | 'labels' | 'follow-up' | 'manual';

/** What a retrain job carries in the queue. */
export interface RetrainJobData {
  /** Why it was asked for. */
  reason: RetrainReason;
  /** When it was asked for, ISO-8601 UTC. */
  requestedAt: string;
}

/** The stages of a retrain, in order. */
export type RetrainStage =
  | 'preparing'
  | 'training'
  | 'evaluating'
  | 'saving'
  | 'embedding'
  | 'indexing'
  | 'activating';

/** Progress of a running retrain. */
export interface RetrainProgress {
  /** Share done, 0 to 100. */
  percent: number;
  /** What it is doing now. */
  stage: RetrainStage;
}

/** How one model did on one set of labelled pairs. */
export interface ModelScore {
  /** Pairs judged. */
  pairs: number;
  /**
   * Accuracy at the energy threshold best for this set: how well the
   * model separates duplicates from the rest, whatever its stored
   * threshold. The number promotion compares.
   */
  accuracy: number;
  /** ROC AUC of -energy against the labels. */
  auc: number;
  /** Accuracy at the model's own stored threshold, as served. */
  accuracyAtThreshold: number;
  /** The model's stored threshold (an energy). */
  threshold: number;
}

/** A model's scores on the held-out labels and the reference pairs. */
export interface ScoresOnSets {
  /** On the held-out share of the labelled pairs. */
  holdout: ModelScore;
  /** On the reference pairs; null when none are configured. */
  reference: ModelScore | null;
}

/** What a retrain decided. */
export type RetrainDecision = 'promoted' | 'rejected' | 'skipped';

/** Counts of the labelled pairs a retrain used. */
export interface PairCounts {
  /** Labels read (rows of the pairs table up to the watermark). */
  labels: number;
  /** Distinct pairs after resolving repeated labels. */
  distinct: number;
  /** Distinct pairs whose labels disagreed. */
  conflicts: number;
  /** Pairs trained on. */
  train: number;
  /** Pairs that chose the epoch and calibrated the threshold. */
  calibration: number;
  /** Pairs held out to judge the candidate. */
  holdout: number;
}

/** One epoch of the fine-tuning. */
export interface RetrainEpoch {
  /** 1-based epoch. */
  epoch: number;
  /** Mean contrastive loss on the training pairs. */
  trainLoss: number;
  /** Best-threshold accuracy on the calibration pairs. */
  calibrationAccuracy: number | null;
}

/** What a finished retrain job returns (also stored in SQLite). */
export interface RetrainResult {
  /** Promoted, rejected, or skipped before training. */
  decision: RetrainDecision;
  /** One sentence on why. */
  reason: string;
  /** Id of the newest labelled pair the run could see. */
  watermark: number;
  /** The serving model the candidate was fine-tuned from. */
  activeVersion: string | null;
  /** The candidate's version; null when skipped. */
  candidateVersion: string | null;
  /** Labelled pairs used. */
  pairs: PairCounts;
  /** Both models' scores on the same pairs; null when skipped. */
  metrics: { active: ScoresOnSets; candidate: ScoresOnSets } | null;
  /** The promotion rule applied. */
  rule: { rule: 'both' | 'holdout' | 'reference'; tolerance: number };
  /** The fine-tuning's epochs. */
  epochs: RetrainEpoch[];
  /** Live items embedded with the candidate (0 unless promoted). */
  embedded: number;
  /** Seconds spent per stage, and in all. */
  seconds: {
    training: number;
    embedding: number;
    indexing: number;
    total: number;
  };
}
