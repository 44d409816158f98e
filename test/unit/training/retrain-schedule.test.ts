import { describe, expect, it } from 'vitest';

import { retrainSchedule } from '../../../src/training/retrain.js';

describe('retrainSchedule', () => {
  it('runs every configured epoch at the configured rate', () => {
    const schedule = retrainSchedule({
      RETRAIN_EPOCHS: 4,
      RETRAIN_LEARNING_RATE: 0.0005,
    });

    expect(schedule).toEqual({ epochs: 4, learningRate: 0.0005, patience: 4 });
  });
});
