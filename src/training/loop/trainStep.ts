/**
 * One optimisation step of the multi-task method: forward in training mode (batch statistics; the
 * running ones are updated), multi-task loss against the mask and its edge band, Adam update.
 */
import * as tf from '@tensorflow/tfjs'
import { edgeLabels, DEFAULT_EDGE_WIDTH_PX } from '../../model/edgeLabels'
import { multiTaskLossTerms, resolveLossWeights, type MultiTaskLossWeights } from '../../model/losses/multiTaskLoss'
import { runMultiTask, type MultiTaskModel } from '../../model/multiTaskModel'

export interface TrainStepOptions {
  /** Adam learning rate (paper: 1e-3). */
  readonly learningRate: number
  readonly weights: Partial<MultiTaskLossWeights>
  readonly edgeWidthPx: number
}

export const DEFAULT_TRAIN_STEP_OPTIONS: TrainStepOptions = { learningRate: 1e-3, weights: {}, edgeWidthPx: DEFAULT_EDGE_WIDTH_PX }

export interface StepLosses {
  readonly total: number
  readonly mask: number
  readonly edge: number | null
  readonly laplacian: number
}

export interface Trainer {
  readonly optimizer: tf.AdamOptimizer
  /** images, masks: [batch, H, W, 1]. Resolves with the step's loss terms (before the update). */
  step(images: tf.Tensor4D, masks: tf.Tensor4D): Promise<StepLosses>
}

export function createTrainer(trained: MultiTaskModel, options: Partial<TrainStepOptions> = {}): Trainer {
  const { learningRate, weights, edgeWidthPx } = { ...DEFAULT_TRAIN_STEP_OPTIONS, ...options }
  const lossWeights = resolveLossWeights(weights)
  const optimizer = tf.train.adam(learningRate)
  return {
    optimizer,
    async step(images, masks) {
      let parts: tf.Scalar[] = []
      const total = optimizer.minimize(() => {
        const edge = edgeLabels(masks, edgeWidthPx)
        const terms = multiTaskLossTerms(runMultiTask(trained, images, true), { mask: masks, edge }, lossWeights)
        parts = [terms.mask, terms.laplacian, ...(terms.edge ? [terms.edge] : [])].map((t) => tf.keep(t))
        return terms.total
      }, true) as tf.Scalar
      const [totalValue, mask, laplacian, edge] = await Promise.all([total, ...parts].map(async (t) => (await t.data())[0]))
      tf.dispose([total, ...parts])
      return { total: totalValue, mask, laplacian, edge: edge ?? null }
    },
  }
}
