/**
 * One optimisation step of the multi-task method: forward in training mode (batch statistics; the
 * running ones are updated), multi-task loss against the mask and its edge band, Adam update.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { edgeLabels, DEFAULT_EDGE_WIDTH_PX } from '../../model/edgeLabels'
import { multiTaskLossTerms, resolveLossWeights, type MultiTaskLossWeights } from '../../model/losses/multiTaskLoss'
import { runMultiTask, type MultiTaskModel } from '../../model/multiTaskModel'
import { UsageError } from '../cli/args'
import { loadTensors, saveTensors } from '../io/tensorFiles'

export interface TrainStepOptions {
  /** Adam learning rate (paper: 1e-3). */
  readonly learningRate: number
  readonly weights: Partial<MultiTaskLossWeights>
  readonly edgeWidthPx: number
  /**
   * Steps over which the Laplacian weight (delta) grows linearly from 0 to its value (0: full from the start).
   * On hard data (small, low-contrast lesions, many empty slices) the Laplacian term's gradient at the start
   * pushes towards an all-background prediction before the mask term has found the lesions (LOSS.md).
   */
  readonly laplacianWarmupSteps: number
  /**
   * Steps over which the learning rate falls from `learningRate` to 0 along a half cosine (0: constant). A run
   * that ends at a small learning rate settles its weights instead of stopping mid-stride. With a decay, every
   * `Trainer.step` call must pass its step index (one without it counts as past the end: rate 0).
   */
  readonly learningRateDecaySteps: number
}

export const DEFAULT_TRAIN_STEP_OPTIONS: TrainStepOptions = { learningRate: 1e-3, weights: {}, edgeWidthPx: DEFAULT_EDGE_WIDTH_PX, laplacianWarmupSteps: 0, learningRateDecaySteps: 0 }

/** delta at a step (0-based) of a warm-up over `warmupSteps`. */
export function laplacianWeightAt(fullWeight: number, warmupSteps: number, step: number): number {
  return warmupSteps > 0 ? (fullWeight * Math.min(step + 1, warmupSteps)) / warmupSteps : fullWeight
}

/** The learning rate at a step (0-based) of a cosine decay over `decaySteps` (0: `base` throughout). */
export function learningRateAt(base: number, decaySteps: number, step: number): number {
  return decaySteps > 0 ? (base * (1 + Math.cos((Math.PI * Math.min(step, decaySteps)) / decaySteps))) / 2 : base
}

export interface StepLosses {
  readonly total: number
  readonly mask: number
  readonly edge: number | null
  readonly laplacian: number
}

/** Runs optimisation steps on a multi-task model and keeps the optimizer's state (tfjs here; PyTorch: torchTrainer.ts). */
export interface Trainer {
  /** What runs the steps, for the model card. */
  readonly description: string
  /**
   * images, masks: [batch, H, W, 1]; `step`: the run's step index (0-based), for the Laplacian warm-up and the
   * learning-rate decay.
   * Resolves with the step's loss terms (before the update).
   */
  step(images: tf.Tensor4D, masks: tf.Tensor4D, step?: number): Promise<StepLosses>
  /** The optimizer's state into a checkpoint folder, and back (--resume). */
  saveOptimizer(dir: string): Promise<void>
  restoreOptimizer(dir: string): Promise<void>
  dispose(): void
}

export function createTrainer(trained: MultiTaskModel, options: Partial<TrainStepOptions> = {}): Trainer {
  const { learningRate, weights, edgeWidthPx, laplacianWarmupSteps, learningRateDecaySteps } = { ...DEFAULT_TRAIN_STEP_OPTIONS, ...options }
  const fullWeights = resolveLossWeights(weights)
  const optimizer = new ScheduledAdam(learningRate)
  return {
    description: `tfjs ${tf.getBackend()}`,
    async step(images, masks, step = Number.POSITIVE_INFINITY) {
      optimizer.setLearningRate(learningRateAt(learningRate, learningRateDecaySteps, step))
      const lossWeights = { ...fullWeights, laplacian: laplacianWeightAt(fullWeights.laplacian, laplacianWarmupSteps, step) }
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
    async saveOptimizer(dir) {
      const optimizerWeights = await optimizer.getWeights()
      await saveTensors(join(dir, OPTIMIZER_FILE), optimizerWeights)
      tf.dispose(optimizerWeights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)))
    },
    async restoreOptimizer(dir) {
      if (!existsSync(join(dir, `${OPTIMIZER_FILE}.json`))) throw new UsageError(`${dir} holds no tfjs optimizer state (a checkpoint of --engine torch?)`)
      const optimizerWeights = loadTensors(join(dir, OPTIMIZER_FILE))
      await optimizer.setWeights(optimizerWeights)
      tf.dispose(optimizerWeights.map((w) => w.tensor))
    },
    dispose: () => optimizer.dispose(),
  }
}

/** tf.train.adam's optimizer (beta1 0.9, beta2 0.999, the backend's epsilon) with a learning rate that can change between steps. */
class ScheduledAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999)
  }

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate
  }
}

const OPTIMIZER_FILE = 'optimizer'
