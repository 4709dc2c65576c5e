/**
 * Segmentation losses of Liu et al. (eq. 2-4). Inputs are [batch, H, W, 1]: logits from the network,
 * binary targets. The network returns logits; these functions own the sigmoid. Each returns a scalar.
 */
import * as tf from '@tensorflow/tfjs'

/** Smoothing term of the soft Dice, so that an empty prediction of an empty target costs 0. */
export const DICE_SMOOTH = 1

/**
 * Soft Dice loss, 1 - (2 |p y| + s) / (|p| + |y| + s), computed per image and averaged over the batch.
 * probs, target: [batch, H, W, 1], probs in [0, 1].
 */
export function diceLoss(probs: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const spatial = [1, 2, 3] // reduce H, W, C; keep the batch
    const intersection = probs.mul(target).sum(spatial)
    const sizes = probs.sum(spatial).add(target.sum(spatial))
    const dice = intersection.mul(2).add(DICE_SMOOTH).div(sizes.add(DICE_SMOOTH)) // [batch]
    return tf.scalar(1).sub(dice.mean()) as tf.Scalar
  })
}

/**
 * Binary cross-entropy from logits, mean over all pixels, in the stable form
 * max(x, 0) - x y + log(1 + exp(-|x|)).
 */
export function binaryCrossEntropy(logits: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => logits.relu().sub(logits.mul(target)).add(logits.abs().neg().exp().log1p()).mean() as tf.Scalar)
}

export interface SegmentLossWeights {
  /** alpha of eq. 2 */
  readonly dice: number
  /** beta of eq. 2 */
  readonly bce: number
}

export const DEFAULT_SEGMENT_WEIGHTS: SegmentLossWeights = { dice: 1, bce: 1 }

/** Loss_segment = alpha Dice(sigmoid(logits), y) + beta CE(logits, y)  (eq. 2). */
export function segmentLoss(logits: tf.Tensor4D, target: tf.Tensor4D, weights: SegmentLossWeights = DEFAULT_SEGMENT_WEIGHTS): tf.Scalar {
  checkWeights(weights)
  return tf.tidy(() => {
    const dice = diceLoss(tf.sigmoid(logits), target).mul(weights.dice)
    return dice.add(binaryCrossEntropy(logits, target).mul(weights.bce)) as tf.Scalar
  })
}

/** Throws unless every weight is a finite number >= 0. */
export function checkWeights(weights: object): void {
  for (const [name, value] of Object.entries(weights)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`loss weight '${name}' must be a finite number >= 0, got ${value}`)
    }
  }
}
