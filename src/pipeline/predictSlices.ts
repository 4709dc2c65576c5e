/**
 * The model's lesion probabilities for a batch of model-input slices: model.predict, and with the card's
 * `mirrorAveraging` the mean of that and of the prediction on the slices' left-right mirror, mirrored back
 * (test-time augmentation as nnU-Net does it: a brain is nearly symmetric, the model's errors on a slice and on
 * its mirror are not, so the mean keeps what both see and halves what one sees alone). For a model told the scan's
 * contrast (the card's `input.contrastChannels`), the contrast's channels are added to the slices first. The one way
 * segmentVolume, the compile-ahead and the benchmarks call the model.
 */
import * as tf from '@tensorflow/tfjs'
import type { ModelCard } from './modelCard'
import type { NamedContrast } from './scanContrast'

/** The width axis of [b, H, W, C]: RAS x, left-right. */
const LEFT_RIGHT_AXIS = 2

/**
 * [b, H, W, 1] model input -> [b, H, W, 1] probabilities; the caller disposes both. `contrast`: the scan's, as its
 * files name it (null: not named), for a model with contrast channels.
 */
export function predictSlices(model: tf.LayersModel, card: Pick<ModelCard, 'mirrorAveraging'> & { readonly input: Pick<ModelCard['input'], 'contrastChannels'> }, input: tf.Tensor4D, contrast: NamedContrast | null): tf.Tensor4D {
  return tf.tidy(() => {
    const slices = withContrastChannels(input, card.input.contrastChannels ?? [], contrast) // [b, H, W, 1 + K]
    const direct = model.predict(slices) as tf.Tensor4D
    if (!card.mirrorAveraging) return direct
    const mirrored = model.predict(tf.reverse(slices, LEFT_RIGHT_AXIS)) as tf.Tensor4D
    return tf.mul(tf.add(direct, tf.reverse(mirrored, LEFT_RIGHT_AXIS)), 0.5)
  })
}

/**
 * [b, H, W, 1] scan slices -> [b, H, W, 1 + K] for K = channels.length: channel 1 + i is 1 everywhere when
 * `contrast` is channels[i], else 0 (all 0 for a contrast not listed or not known). The one place the channels are
 * made, for segmentation and for training (syntheticData.ts). K = 0: the input itself.
 */
export function withContrastChannels(input: tf.Tensor4D, channels: readonly NamedContrast[], contrast: NamedContrast | null): tf.Tensor4D {
  if (channels.length === 0) return input
  const [b, h, w] = input.shape
  return tf.tidy(() => {
    const code = tf.tensor4d(channels.map((c) => (c === contrast ? 1 : 0)), [1, 1, 1, channels.length])
    return tf.concat([input, tf.tile(code, [b, h, w, 1])], 3)
  })
}
