/**
 * Consistency loss of Liu et al. (eq. 5): the predicted mask and the ground truth should agree in their
 * second derivative. Loss_lap = mean |Lap(p) - Lap(y)|, with the 4-neighbour Laplacian
 * [[0, 1, 0], [1, -4, 1], [0, 1, 0]] and zero padding ('same'), on the sigmoid output p.
 */
import * as tf from '@tensorflow/tfjs'

/** 4-neighbour Laplacian as a conv2d filter: [3, 3, 1 (in), 1 (out)]. */
const LAPLACIAN_4: number[] = [0, 1, 0, 1, -4, 1, 0, 1, 0]

/** Lap(x): [batch, H, W, 1] -> [batch, H, W, 1], zero padding. */
export function laplacian(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.conv2d(x, tf.tensor4d(LAPLACIAN_4, [3, 3, 1, 1]), 1, 'same'))
}

/** probs, target: [batch, H, W, 1]. The Laplacian is linear, so Lap(p) - Lap(y) = Lap(p - y). */
export function laplacianConsistencyLoss(probs: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => laplacian(probs.sub(target)).abs().mean() as tf.Scalar)
}
