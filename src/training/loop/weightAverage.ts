/**
 * An exponential moving average of a network's weights (Polyak averaging, as timm's ModelEmaV2 and SWA do):
 * after each step avg = decay * avg + (1 - decay) * w, for every weight, batch-norm statistics included.
 * Validating and exporting the average instead of the last step's weights removes most of the
 * step-to-step noise of a small-batch run: a decay of 0.998 averages over the last ~500 steps.
 */
import * as tf from '@tensorflow/tfjs'
import type { NamedTensor } from '../io/tensorFiles'

export interface WeightAverage {
  readonly decay: number
  /** After an optimizer step: folds the model's current weights into the average. */
  update(): void
  /** Runs `use` with the averaged weights in the model, then puts the trained weights back. */
  withAveraged<T>(use: () => Promise<T>): Promise<T>
  /** The average, named as the model's weights (for a checkpoint; the tensors stay the average's). */
  named(): NamedTensor[]
  /** Replaces the average by tensors saved by `named()` (same order and shapes). */
  restore(saved: readonly NamedTensor[]): void
  dispose(): void
}

export function createWeightAverage(model: tf.LayersModel, decay: number): WeightAverage {
  if (!(decay > 0 && decay < 1)) throw new Error(`weight-average decay must be in (0, 1), got ${decay}`)
  const weights = model.weights
  const average = weights.map((w) => tf.variable(w.read(), false, undefined, 'float32'))
  return {
    decay,
    update() {
      tf.tidy(() => weights.forEach((w, i) => average[i].assign(average[i].mul(decay).add(w.read().mul(1 - decay)))))
    },
    async withAveraged(use) {
      const trained = weights.map((w) => tf.clone(w.read()))
      weights.forEach((w, i) => w.write(average[i]))
      try {
        return await use()
      } finally {
        weights.forEach((w, i) => w.write(trained[i]))
        tf.dispose(trained)
      }
    },
    named: () => weights.map((w, i) => ({ name: w.originalName, tensor: average[i] })),
    restore(saved) {
      if (saved.length !== average.length || saved.some((s, i) => s.tensor.shape.join() !== average[i].shape.join())) {
        throw new Error(`the saved weight average does not fit this network (${saved.length} tensors, the network ${average.length})`)
      }
      saved.forEach((s, i) => average[i].assign(s.tensor))
    },
    dispose: () => tf.dispose(average),
  }
}
