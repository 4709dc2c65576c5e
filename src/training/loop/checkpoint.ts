/**
 * Training checkpoints: the network's weights, their running average (when the run keeps one), the optimizer's
 * state and the run's state (epochs done, history, options, and the runs it started from), kept in a folder
 * (outside the work tree for long runs) so that a run continues exactly where it stopped (--resume) or a new run
 * starts from its weights (--init-from: the trained weights, not the average).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { TrainConfig } from '../cli/train'
import { UsageError } from '../cli/args'
import { loadTensors, saveTensors, type NamedTensor } from '../io/tensorFiles'
import type { Trainer } from './trainStep'
import { widenWeights } from './widenNetwork'
import { parseContrastChannels } from '../synth/contrast'
import { buildMultiTaskModel, type MultiTaskModel } from '../../model/multiTaskModel'
import type { UnetPlusPlusSpec } from '../../model/modelSpec'

export interface TrainState {
  /** Epochs completed. */
  epoch: number
  /** The runs this one started from (--init-from), oldest first: their steps, seconds and history. */
  earlierRuns?: EarlierRun[]
  bestDice: number | null
  bestEpoch: number | null
  history: Array<{ epoch: number; loss: number; validationDice: number | null; seconds: number }>
  /** The run's options (a resumed run continues with them). */
  options: TrainConfig
  trainSeconds: number
}

/** The checkpoint folder inside the model folder, unless --checkpoint names another. */
export const CHECKPOINT = 'checkpoint'

export interface EarlierRun {
  readonly checkpoint: string
  readonly steps: number
  readonly trainSeconds: number
  readonly history: TrainState['history']
}

/** The history a checkpoint carries: its earlier runs, then its own. */
export function runsOf(dir: string): EarlierRun[] {
  const path = join(dir, 'state.json')
  if (!existsSync(path)) return []
  const state = JSON.parse(readFileSync(path, 'utf8')) as TrainState
  const steps = state.epoch * Number(state.options['steps-per-epoch'] ?? 0)
  return [...(state.earlierRuns ?? []), { checkpoint: dir, steps, trainSeconds: Math.round(state.trainSeconds), history: state.history }]
}

/** Weights, the optimizer's state and the run's state, so that --resume continues exactly. */
export async function saveCheckpoint(dir: string, model: tf.LayersModel, trainer: Trainer, state: TrainState, average: readonly NamedTensor[] | null = null): Promise<void> {
  mkdirSync(dir, { recursive: true })
  await saveTensors(join(dir, 'weights'), model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })))
  if (average) await saveTensors(join(dir, 'average'), average)
  await trainer.saveOptimizer(dir)
  writeFileSync(join(dir, 'state.json'), JSON.stringify(state, null, 1))
}

/** The weight average a checkpoint keeps (the caller disposes the tensors), or null when it keeps none. */
export function loadWeightAverage(dir: string): NamedTensor[] | null {
  return existsSync(join(dir, 'average.json')) ? loadTensors(join(dir, 'average')) : null
}

/**
 * Weights from a checkpoint folder (the optimizer's state: `Trainer.restoreOptimizer`). A checkpoint of the same
 * network with fewer filters on some levels is widened into this one without changing what it computes
 * (`widenWeights`), so a run can continue a trained model with more capacity (--init-from).
 */
export async function restoreCheckpoint(dir: string, trained: MultiTaskModel): Promise<{ readonly inputChannels: number }> {
  if (!existsSync(join(dir, 'weights.json'))) throw new UsageError(`no checkpoint weights in ${dir}`)
  const { model } = trained
  const weights = loadTensors(join(dir, 'weights'))
  const narrower = narrowerSpec(dir, trained.spec)
  const narrow = narrower ? buildMultiTaskModel(narrower) : null
  try {
    const expected = narrow?.model ?? model
    if (weights.length !== expected.weights.length) throw new UsageError(`checkpoint ${dir} has ${weights.length} weights, the model ${expected.weights.length}: another network`)
    const mismatch = expected.weights.findIndex((w, i) => w.shape.join() !== weights[i].tensor.shape.join())
    if (mismatch >= 0) throw new UsageError(`checkpoint ${dir}: weight ${expected.weights[mismatch].originalName} is [${weights[mismatch].tensor.shape}], the model's [${expected.weights[mismatch].shape}]`)
    const values = narrow ? widenWeights(narrow.model, weights, model) : weights.map((w) => w.tensor)
    model.weights.forEach((w, i) => w.write(values[i]))
    if (narrow) tf.dispose(values)
  } finally {
    tf.dispose(weights.map((w) => w.tensor))
    narrow?.model.dispose()
  }
  return { inputChannels: (narrower ?? trained.spec).inputChannels }
}

/** A run's input channels: the scan, its mirror (--mirror-channel), then one per contrast channel (--contrast-channels). */
export function inputChannelsOf(options: Pick<TrainConfig, 'mirror-channel' | 'contrast-channels'>): number {
  return 1 + (options['mirror-channel'] ? 1 : 0) + (options['contrast-channels'] ? parseContrastChannels(options['contrast-channels']).length : 0)
}

/**
 * The checkpoint's network when it is this one with fewer filters on some levels or fewer input channels (no
 * mirror or contrast channels: train --mirror-channel, --contrast-channels), as its state.json says; else null.
 */
function narrowerSpec(dir: string, spec: UnetPlusPlusSpec): UnetPlusPlusSpec | null {
  const path = join(dir, 'state.json')
  if (!existsSync(path)) return null
  const options = (JSON.parse(readFileSync(path, 'utf8')) as TrainState).options
  const filters = options.filters as unknown as UnetPlusPlusSpec['filters']
  const inputChannels = inputChannelsOf(options)
  const same = inputChannels === spec.inputChannels && filters.every((f, i) => f === spec.filters[i])
  // New input channels come last: a mirror channel added before a checkpoint's contrast channels would move them.
  const channelsFirst = !options['contrast-channels'] || inputChannels === spec.inputChannels
  const narrower = inputChannels <= spec.inputChannels && channelsFirst && filters.every((f, i) => f <= spec.filters[i])
  return !same && narrower && options.aux === spec.aux ? { ...spec, filters, inputChannels } : null
}
