/**
 * How a mirror channel (midline.ts) new to a trained network starts. Widening gives it zero weights, so the network
 * starts as it was; but continued at a fine-tuning rate it hardly learns them (0.0015 against the scan channel's
 * 0.34 after 500 steps: MODELS.md, session 54). Started instead as a share of the scan channel's first-layer
 * weights, the first layer sees the slice plus that share of its difference from the mirror image: the same slice
 * where the head is symmetric, and a region darker than its mirror image darker still, so that the network uses
 * the channel from its first step and training tunes how.
 */
import * as tf from '@tensorflow/tfjs'

/** Sets the first convolution's weights from input channel 1 (the mirror channel) to `share` x those from channel 0 (the scan). */
export function startMirrorChannel(model: tf.LayersModel, share: number): void {
  const first = model.weights.find((w) => w.shape.length === 4 && (w.shape[2] ?? 0) >= 2)
  if (!first) throw new Error('no first convolution with a mirror channel in the network')
  const kernel = first.read() as tf.Tensor4D // [3, 3, inputChannels, filters]
  const seeded = tf.tidy(() => {
    const channels = tf.split(kernel, kernel.shape[2], 2)
    channels[1] = tf.mul(channels[0], share)
    return tf.concat(channels, 2)
  })
  first.write(seeded)
  seeded.dispose()
}
