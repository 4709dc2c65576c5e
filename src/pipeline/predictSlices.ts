/**
 * The model's lesion probabilities for a batch of model-input slices: model.predict, and with the card's
 * `mirrorAveraging` the mean of that and of the prediction on the slices' left-right mirror, mirrored back
 * (test-time augmentation as nnU-Net does it: a brain is nearly symmetric, the model's errors on a slice and on
 * its mirror are not, so the mean keeps what both see and halves what one sees alone). The one way segmentVolume,
 * the compile-ahead and the benchmarks call the model.
 */
import * as tf from '@tensorflow/tfjs'
import type { ModelCard } from './modelCard'

/** The width axis of [b, H, W, 1]: RAS x, left-right. */
const LEFT_RIGHT_AXIS = 2

/** [b, H, W, 1] model input -> [b, H, W, 1] probabilities; the caller disposes both. */
export function predictSlices(model: tf.LayersModel, card: Pick<ModelCard, 'mirrorAveraging'>, input: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const direct = model.predict(input) as tf.Tensor4D
    if (!card.mirrorAveraging) return direct
    const mirrored = model.predict(tf.reverse(input, LEFT_RIGHT_AXIS)) as tf.Tensor4D
    return tf.mul(tf.add(direct, tf.reverse(mirrored, LEFT_RIGHT_AXIS)), 0.5)
  })
}
