// The contrastive loss L = Y E^2 + (1 - Y) max(margin - E, 0)^2: the
// tensor version used in training must equal the plain-number version
// used in reports, and its gradient must pull genuine pairs together and
// push impostors apart only inside the margin.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../../../src/encoder/backend.js';
import {
  contrastiveLoss,
  contrastiveLossOf,
  pairEnergy,
} from '../../../src/encoder/contrastive-loss.js';

// The tensor version keeps 1e-9 under the square root for a finite
// gradient, which moves E by up to 3.2e-5 and the loss by up to 6.4e-5.
const TENSOR_TOLERANCE = 1e-4;

/** [energy, label, margin, expected loss by hand]. */
const CASES: [number, number, number, number][] = [
  [0, 1, 1, 0], // identical duplicates cost nothing
  [0.5, 1, 1, 0.25], // genuine: E^2
  [2, 1, 1, 4], // genuine far apart: E^2, no margin
  [0, 0, 1, 1], // impostor at distance 0: margin^2
  [0.5, 0, 1, 0.25], // impostor inside the margin: (m - E)^2
  [1, 0, 1, 0], // impostor exactly at the margin
  [1.5, 0, 1, 0], // impostor beyond the margin costs nothing
  [0.3, 0.5, 1, 0.5 * 0.09 + 0.5 * 0.49], // graded label
  [2, 0.25, 3, 0.25 * 4 + 0.75 * 1], // graded, wider margin
  [0.8, 0.2, 0.5, 0.2 * 0.64], // graded, impostor part past the margin
];

/** Two rows `energy` apart, along a direction that varies per case. */
function pairAt(energy: number, i: number): [number[], number[]] {
  const angle = i * 0.7;
  const a = [0.3 * i, -0.1, 0.2];
  const b = [
    (a[0] as number) + energy * Math.cos(angle),
    (a[1] as number) + energy * Math.sin(angle),
    a[2] as number,
  ];
  return [a, b];
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('contrastiveLossOf', () => {
  it.each(CASES)(
    'E=%d, Y=%d, margin=%d gives %d',
    (energy, label, margin, expected) => {
      expect(contrastiveLossOf(energy, label, margin)).toBeCloseTo(
        expected,
        12,
      );
    },
  );
});

describe('contrastiveLoss on tensors', () => {
  it.each(CASES)(
    'E=%d, Y=%d, margin=%d matches the plain version',
    (energy, label, margin) => {
      const [a, b] = pairAt(energy, 3);
      const loss = tf.tidy(() =>
        contrastiveLoss(
          tf.tensor2d([a]),
          tf.tensor2d([b]),
          tf.tensor1d([label]),
          margin,
        ).arraySync(),
      );
      const want = contrastiveLossOf(energy, label, margin);
      expect(Math.abs(loss - want)).toBeLessThan(TENSOR_TOLERANCE);
    },
  );

  it('averages a batch, with one margin for all', () => {
    const margin = 1;
    const rows = CASES.filter((c) => c[2] === margin).map((c, i) => ({
      pair: pairAt(c[0], i),
      label: c[1],
      want: contrastiveLossOf(c[0], c[1], margin),
    }));
    const [loss, energies] = tf.tidy(() => {
      const a = tf.tensor2d(rows.map((r) => r.pair[0]));
      const b = tf.tensor2d(rows.map((r) => r.pair[1]));
      const labels = tf.tensor1d(rows.map((r) => r.label));
      return [
        contrastiveLoss(a, b, labels, margin).arraySync(),
        pairEnergy(a, b).arraySync(),
      ];
    });

    const mean = rows.reduce((s, r) => s + r.want, 0) / rows.length;
    expect(Math.abs(loss - mean)).toBeLessThan(TENSOR_TOLERANCE);
    const wanted = CASES.filter((c) => c[2] === margin).map((c) => c[0]);
    energies.forEach((e, i) => {
      expect(Math.abs(e - (wanted[i] as number))).toBeLessThan(1e-4);
    });
  });

  it('pulls genuine pairs together and pushes impostors inside the margin', () => {
    // dL/dE is 2E for a genuine pair and -2(m - E) for an impostor inside
    // the margin; moving `b` along the pair's direction changes E by 1.
    const cases: [number, number, number][] = [
      [0.5, 1, 2 * 0.5],
      [0.5, 0, -2 * 0.5],
      [1.5, 0, 0],
    ];
    for (const [energy, label, slope] of cases) {
      const [a, b] = pairAt(energy, 0);
      const direction = [1, 0, 0];
      const grad = tf.tidy(() => {
        const f = (bt: tf.Tensor) =>
          contrastiveLoss(
            tf.tensor2d([a]),
            bt as tf.Tensor2D,
            tf.tensor1d([label]),
            1,
          );
        return (
          tf
            .grad(f)(tf.tensor2d([b]))
            .arraySync() as number[][]
        )[0];
      });
      const along = (grad as number[]).reduce(
        (s, g, i) => s + g * (direction[i] as number),
        0,
      );
      expect(along).toBeCloseTo(slope, 4);
    }
  });
});
