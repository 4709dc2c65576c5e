/**
 * npm run train -- --data DIR --out MODEL_DIR [...]: the paper's multi-task training (Adam 1e-3, batch 8,
 * loss 1 * mask + 1 * edge + 10 * Laplacian consistency) on axial slices of a dataset, validated every
 * epoch through the app's own pipeline, checkpointed every epoch (--resume continues exactly: same next
 * batch, same optimizer state), exporting the best-validation main branch as model.json + shards +
 * model-card.json, which the browser loads as it is.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { CT_NORMALIZATION, MR_NORMALIZATION } from '../../inference/intensityNormalization'
import { loadSegmentationModel } from '../../inference/loadSegmentationModel'
import { MODEL_CARD_FORMAT, type CardScores, type ModelCard } from '../../inference/modelCard'
import { toInferenceModel } from '../../model/inferenceModel'
import type { AuxiliaryTask, UnetPlusPlusSpec } from '../../model/modelSpec'
import { buildMultiTaskModel } from '../../model/multiTaskModel'
import { UNET_SIZE_MULTIPLE, sizeMultipleFor } from '../../model/modelSpec'
import { guessModality } from '../../volume/volume'
import { selectBackend, type BackendChoice } from '../backend/selectBackend'
import { findDataset, loadCase, splitOf } from '../data/datasetLayout'
import { batchTensors, prepareCase, sampleBatch, type SamplerOptions } from '../data/sliceSampler'
import { fileModelHandler, saveModelFiles } from '../io/modelFiles'
import { loadTensors, saveTensors } from '../io/tensorFiles'
import { evaluateCases, type Evaluation } from '../loop/evaluateCases'
import { createTrainer } from '../loop/trainStep'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'

export const TRAIN_OPTIONS: OptionTable = {
  data: { type: 'string', required: true, help: 'dataset folder (make-data layout, ATLAS BIDS or ISLES-style)' },
  out: { type: 'string', required: true, help: 'model folder: model.json, shards, model-card.json, checkpoint/' },
  epochs: { type: 'integer', default: 20, help: 'epochs' },
  'steps-per-epoch': { type: 'integer', default: 50, help: 'batches per epoch' },
  batch: { type: 'integer', default: 8, help: 'slices per batch (paper: 8)' },
  lr: { type: 'number', default: 1e-3, help: 'Adam learning rate (paper: 1e-3)' },
  size: { type: 'integer', default: 128, help: 'training slice size in pixels (multiple of 64 with the LFFGM, else 16)' },
  spacing: { type: 'number', default: 2, help: 'in-plane pixel spacing the model works at (mm)' },
  filters: { type: 'list', default: [16, 32, 64, 128, 256], help: 'filters of UNet++ levels 0..4 (paper: 32,64,128,256,512)' },
  aux: { type: 'string', choices: ['lffgm', 'simple', 'none'], default: 'lffgm', help: 'edge task: the LFFGM, a simple edge head, or none (Table 2)' },
  'lap-weight': { type: 'number', default: 10, help: 'weight of the Laplacian consistency loss (paper: 10)' },
  'edge-width': { type: 'integer', default: 2, help: 'edge band width in pixels' },
  'lesion-fraction': { type: 'number', default: 0.5, help: 'share of each batch drawn from slices with lesion' },
  'val-cases': { type: 'integer', default: 6, help: 'validation cases scored each epoch (0: all)' },
  seed: { type: 'integer', default: 1, help: 'split, sampling and augmentation seed' },
  backend: { type: 'string', choices: ['auto', 'wasm', 'webgpu', 'cpu'], default: 'auto', help: 'tfjs backend in Node' },
  'max-minutes': { type: 'number', default: 0, help: 'stop after the epoch that would overrun this budget (0: no limit)' },
  float16: { type: 'boolean', help: 'store exported weights as float16 (half the download)' },
  resume: { type: 'boolean', help: 'continue from MODEL_DIR/checkpoint exactly where it stopped' },
  name: { type: 'string', default: '', help: 'model name for the card (default: the out folder name)' },
}

interface TrainState {
  /** Epochs completed. */
  epoch: number
  bestDice: number | null
  bestEpoch: number | null
  history: Array<{ epoch: number; loss: number; validationDice: number | null; seconds: number }>
  options: Record<string, unknown>
  trainSeconds: number
}

const CHECKPOINT = 'checkpoint'

export async function train(argv: string[]): Promise<ModelCard> {
  let o = parseOptions(argv, TRAIN_OPTIONS)
  const out = o.out as string
  const statePath = join(out, CHECKPOINT, 'state.json')
  let state: TrainState | null = null
  if (o.resume) {
    if (!existsSync(statePath)) throw new UsageError(`--resume: no checkpoint in ${join(out, CHECKPOINT)}`)
    state = JSON.parse(readFileSync(statePath, 'utf8')) as TrainState
    // The run continues with its own options; only the length of the run may change.
    o = { ...(state.options as typeof o), epochs: o.epochs, 'max-minutes': o['max-minutes'], resume: true, _: [] }
  }
  const aux = o.aux as AuxiliaryTask
  const size = o.size as number
  if (size % sizeMultipleFor(aux) !== 0) throw new UsageError(`--size ${size} must be a multiple of ${sizeMultipleFor(aux)} with --aux ${aux}`)
  const backend = await selectBackend(o.backend as BackendChoice)
  const started = Date.now()
  const dataset = findDataset(o.data as string)
  const split = splitOf(dataset, o.seed as number)
  if (split.train.length === 0 || split.validation.length === 0) throw new UsageError(`${dataset.dir}: needs at least 3 cases (train and validation)`)
  const byId = new Map(dataset.cases.map((c) => [c.id, c]))
  const load = (ids: readonly string[]) => ids.map((id) => loadCase(byId.get(id)!))
  const trainCases = load(split.train)
  const modality = trainCases[0].image.modality === 'CT' || guessModality(trainCases[0].image.data) === 'CT' ? 'CT' : 'MR'
  const normalization = modality === 'CT' ? CT_NORMALIZATION : MR_NORMALIZATION
  const prepared = trainCases.map((c) => prepareCase(c, normalization, o.spacing as number))
  const valCases = load((o['val-cases'] as number) > 0 ? split.validation.slice(0, o['val-cases'] as number) : split.validation)
  const datasetInfo = readDatasetInfo(dataset.dir)
  const spec: Partial<UnetPlusPlusSpec> = { filters: o.filters as unknown as UnetPlusPlusSpec['filters'], aux }
  const trained = buildMultiTaskModel(spec)
  const trainer = createTrainer(trained, { learningRate: o.lr as number, weights: { laplacian: o['lap-weight'] as number }, edgeWidthPx: o['edge-width'] as number })
  state ??= { epoch: 0, bestDice: null, bestEpoch: null, history: [], options: { ...o }, trainSeconds: 0 }
  if (o.resume) await restoreCheckpoint(join(out, CHECKPOINT), trained.model, trainer.optimizer)
  const sampler: SamplerOptions = { size, batch: o.batch as number, lesionFraction: o['lesion-fraction'] as number, augment: true, seed: o.seed as number }
  const card = (inference: tf.LayersModel, validation: CardScores | null, test: CardScores | null, extra: Record<string, unknown> = {}): ModelCard => ({
    format: MODEL_CARD_FORMAT,
    name: (o.name as string) || out.split(/[\\/]/).filter(Boolean).at(-1)!,
    modality,
    contrast: modality === 'CT' ? 'non-contrast CT' : 'T1-weighted MR',
    architecture: { name: 'UNet++', filters: o.filters as number[], inputChannels: 1, trainingAux: aux, parameters: inference.countParams() },
    input: { plane: 'axial', orientation: 'RAS', spacingMm: o.spacing as number, sizeMultiple: UNET_SIZE_MULTIPLE, trainingSize: size },
    normalization,
    threshold: 0.5,
    training: {
      dataKind: datasetInfo.kind ?? dataset.layout,
      dataDescription: datasetInfo.description ?? `${dataset.layout} dataset at ${dataset.dir}`,
      dataOrigin: datasetInfo.dataOrigin ?? 'real',
      subjects: { train: split.train.length, validation: split.validation.length, test: split.test.length },
      epochs: state!.epoch,
      stepsPerEpoch: o['steps-per-epoch'],
      batch: o.batch,
      optimizer: `Adam, learning rate ${o.lr}`,
      loss: aux === 'none' ? `Dice + BCE + ${o['lap-weight']} x Laplacian` : `(Dice + BCE) mask + (Dice + BCE) edge (${aux}) + ${o['lap-weight']} x Laplacian`,
      edgeWidthPx: o['edge-width'],
      seed: o.seed,
      backend: backend.description,
      commandLine: `npm run train -- ${argv.join(' ')}`,
      trainSeconds: Math.round(state!.trainSeconds),
      history: state!.history,
      ...extra,
    },
    metrics: { validation, test },
    createdAt: new Date().toISOString(),
    tfjsVersion: tf.version.tfjs,
    intendedUse: 'Research use only, not for diagnosis.',
  })
  const log = (line: string) => process.stderr.write(`\r${line.padEnd(110)}`)
  console.log(`training ${out} on ${backend.description}: ${prepared.length} train, ${valCases.length} validation cases (${dataset.layout})`)
  const budgetMs = (o['max-minutes'] as number) * 60_000
  let stoppedEarly = false
  for (let epoch = state.epoch; epoch < (o.epochs as number); epoch++) {
    const epochStart = Date.now()
    let lossSum = 0
    const steps = o['steps-per-epoch'] as number
    for (let step = 0; step < steps; step++) {
      const { images, masks } = batchTensors(sampleBatch(prepared, sampler, epoch, step), size)
      const losses = await trainer.step(images, masks)
      tf.dispose([images, masks])
      lossSum += losses.total
      const perStep = (Date.now() - epochStart) / (step + 1)
      const eta = perStep * ((o.epochs as number) * steps - (epoch * steps + step + 1))
      log(`epoch ${epoch + 1}/${o.epochs} step ${step + 1}/${steps} loss ${losses.total.toFixed(3)} (mask ${losses.mask.toFixed(3)}${losses.edge === null ? '' : ` edge ${losses.edge.toFixed(3)}`} lap ${losses.laplacian.toFixed(4)}) best val Dice ${state.bestDice?.toFixed(3) ?? '-'} ETA ${(eta / 60000).toFixed(1)} min`)
    }
    backend.assertHealthy() // before anything of this epoch is kept
    const inference = toInferenceModel(trained)
    const validation = await evaluateCases(valCases, inference, card(inference, null, null))
    const dice = validation.perVolume.meanDice
    const seconds = (Date.now() - epochStart) / 1000
    state.trainSeconds += seconds
    state.history.push({ epoch: epoch + 1, loss: lossSum / steps, validationDice: dice, seconds: Math.round(seconds) })
    state.epoch = epoch + 1
    if (dice !== null && (state.bestDice === null || dice > state.bestDice)) {
      state.bestDice = dice
      state.bestEpoch = epoch + 1
      await saveModelFiles(inference, out, { float16: Boolean(o.float16) })
      writeCard(out, card(inference, scoresOf(validation), null, { bestEpoch: epoch + 1 }))
    }
    inference.dispose()
    await saveCheckpoint(join(out, CHECKPOINT), trained.model, trainer.optimizer, state)
    log(`epoch ${epoch + 1}: loss ${(lossSum / steps).toFixed(3)}, validation Dice ${dice?.toFixed(3) ?? '-'} (best ${state.bestDice?.toFixed(3)} at epoch ${state.bestEpoch}), ${seconds.toFixed(0)} s\n`)
    if (budgetMs > 0 && Date.now() - started + seconds * 1000 > budgetMs && epoch + 1 < (o.epochs as number)) {
      stoppedEarly = true
      console.log(`stopping after epoch ${epoch + 1}: the next epoch would overrun --max-minutes ${o['max-minutes']}`)
      break
    }
  }
  trainer.optimizer.dispose()
  trained.model.dispose()
  if (!existsSync(join(out, 'model.json'))) throw new Error('no epoch produced a validation score; nothing exported')
  // Test split, scored with the exported model as the app will load it.
  const exportedCard = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8')) as ModelCard
  const { model } = await loadSegmentationModel(fileModelHandler(join(out, 'model.json')), exportedCard)
  const testEvaluation = split.test.length > 0 ? await evaluateCases(load(split.test), model, exportedCard) : null
  const finalCard: ModelCard = {
    ...exportedCard,
    training: { ...exportedCard.training, epochs: state.epoch, trainSeconds: Math.round(state.trainSeconds), history: state.history, stoppedByTimeBudget: stoppedEarly },
    metrics: { ...exportedCard.metrics, test: testEvaluation ? scoresOf(testEvaluation) : null, testLesionDetection: testEvaluation?.lesionDetection ?? null },
  }
  writeCard(out, finalCard)
  model.dispose()
  console.log(`exported ${out}: best validation Dice ${state.bestDice?.toFixed(3)} (epoch ${state.bestEpoch}), test Dice ${finalCard.metrics.test?.dice.toFixed(3) ?? '-'}`)
  return finalCard
}

function scoresOf(e: Evaluation): CardScores {
  return { dice: round(e.perVolume.meanDice ?? 0), iou: round(e.perVolume.meanIou ?? 0), cases: e.perVolume.scored, bothEmpty: e.perVolume.bothEmpty }
}

const round = (v: number) => Math.round(v * 1e4) / 1e4

function writeCard(out: string, card: ModelCard): void {
  writeFileSync(join(out, 'model-card.json'), JSON.stringify(card, null, 1) + '\n')
}

function readDatasetInfo(dir: string): { kind?: string; description?: string; dataOrigin?: ModelCard['training']['dataOrigin'] } {
  const path = join(dir, 'dataset.json')
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { kind?: string }) : {}
}

async function saveCheckpoint(dir: string, model: tf.LayersModel, optimizer: tf.Optimizer, state: TrainState): Promise<void> {
  mkdirSync(dir, { recursive: true })
  await saveTensors(join(dir, 'weights'), model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })))
  const optimizerWeights = await optimizer.getWeights()
  await saveTensors(join(dir, 'optimizer'), optimizerWeights)
  tf.dispose(optimizerWeights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)))
  writeFileSync(join(dir, 'state.json'), JSON.stringify(state, null, 1))
}

async function restoreCheckpoint(dir: string, model: tf.LayersModel, optimizer: tf.Optimizer): Promise<void> {
  const weights = loadTensors(join(dir, 'weights'))
  if (weights.length !== model.weights.length) throw new Error(`checkpoint has ${weights.length} weights, the model ${model.weights.length}`)
  model.weights.forEach((w, i) => w.write(weights[i].tensor))
  tf.dispose(weights.map((w) => w.tensor))
  const optimizerWeights = loadTensors(join(dir, 'optimizer'))
  await optimizer.setWeights(optimizerWeights)
  tf.dispose(optimizerWeights.map((w) => w.tensor))
}


if (process.argv[1]?.endsWith('train.ts')) {
  runCli(helpText('train', 'Trains UNet++ with the multi-task edge branch and exports the main branch for the app.', TRAIN_OPTIONS), async (argv) => {
    await train(argv)
  })
}
