/**
 * The contrastive loss of Hadsell, Chopra and LeCun (2006):
 * L = Y * E^2 + (1 - Y) * max(margin - E, 0)^2, averaged over the batch.
 * Y = 1 for a genuine pair (same meaning), 0 for an impostor pair; a graded
 * label in between weighs the two terms. Impostor pairs already farther
 * apart than the margin cost nothing.
 */
import * as tf from '@tensorflow/tfjs';

/** Smallest squared distance under the square root, for a finite gradient. */
const EPSILON = 1e-9;

/** Energies E = ||a - b|| for each row, [n]. */
export function pairEnergy(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.sqrt(squaredEnergy(a, b));
}

function squaredEnergy(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.add(tf.sum(tf.square(tf.sub(a, b)), 1), EPSILON);
}

/** Mean contrastive loss of a batch. `labels` are in [0, 1], [n]. */
export function contrastiveLoss(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  labels: tf.Tensor1D,
  margin: number,
): tf.Scalar {
  const squared = squaredEnergy(a, b);
  const gap = tf.relu(tf.sub(margin, tf.sqrt(squared)));
  const genuine = tf.mul(labels, squared);
  const impostor = tf.mul(tf.sub(1, labels), tf.square(gap));
  return tf.mean(tf.add(genuine, impostor));
}

/** The same loss for one pair, in plain numbers (for reports and tests). */
export function contrastiveLossOf(
  energy: number,
  label: number,
  margin: number,
): number {
  const gap = Math.max(margin - energy, 0);
  return label * energy * energy + (1 - label) * gap * gap;
}
