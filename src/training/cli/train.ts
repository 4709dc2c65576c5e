/**
 * npm run train -- --data DIR --out MODEL_DIR [...]: the paper's multi-task training (Adam 1e-3, batch 8,
 * loss 1 * mask + 1 * edge + 10 * Laplacian consistency) on axial slices of a dataset, validated every
 * epoch through the app's own pipeline, checkpointed every epoch (--resume continues exactly: same next
 * batch, same optimizer state), exporting the best-validation main branch as model.json + shards +
 * model-card.json, which the browser loads as it is.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { CT_NORMALIZATION, MR_NORMALIZATION } from '../../pipeline/intensityNormalization'
import { MODEL_CARD_FORMAT, type CardScores, type ModelCard } from '../../pipeline/modelCard'
import { toInferenceModel } from '../../model/inferenceModel'
import type { UnetPlusPlusSpec } from '../../model/modelSpec'
import { buildMultiTaskModel } from '../../model/multiTaskModel'
import { UNET_SIZE_MULTIPLE, sizeMultipleFor } from '../../model/modelSpec'
import { guessModality } from '../../volume/volume'
import { selectBackend } from '../backend/selectBackend'
import { findDataset, loadCase, readDatasetInfo, splitOf, type Split } from '../data/datasetLayout'
import { DEFAULT_LESION_MASKS_DIR, DEFAULT_SHARED_DATA_DIR } from '../data/sharedPaths'
import { prepareCase } from '../data/sliceSampler'
import { DEFAULT_RANDOM_CONTRAST_SHARE, MR_CONTRASTS, mrContrastDescription, type SynthMode } from '../synth/contrast'
import { SYNTH_TARGETS } from '../synth/syntheticData'
import { DEFAULT_LESION_SHIFT_MM } from '../synth/placedLesion'
import { saveModelFiles } from '../io/modelFiles'
import { CHECKPOINT, inputChannelsOf, loadWeightAverage, restoreCheckpoint, runsOf, saveCheckpoint, type TrainState } from '../loop/checkpoint'
import { evaluateCases, type Evaluation } from '../loop/evaluateCases'
import { createTorchTrainer } from '../loop/torchTrainer'
import { createTrainer } from '../loop/trainStep'
import { startMirrorChannel } from '../loop/mirrorChannelStart'
import { createWeightAverage } from '../loop/weightAverage'
import { loadModelFolder, roundScore, writeModelCard } from './modelFolder'
import { contrastChannelsOf, contrastsOf, ctHuRangesDescription, ctHuRangesOf, synthBatches, trainBatches, type BatchSource } from './trainingBatches'
import { helpText, parseOptions, runCli, UsageError, type Options, type OptionTable } from './args'

export const TRAIN_OPTIONS = {
  data: { type: 'string', help: 'dataset folder (make-data layout, ATLAS BIDS or ISLES-style); with --synth: the validation volumes (all its cases). Required, except with --resume (the run\'s own)' },
  synth: { type: 'string', choices: ['mr', 'ct'], help: 'train on contrast-randomised synthetic slices drawn on the fly (real heads, real lesion shapes) instead of the slices of --data' },
  masks: { type: 'string', default: DEFAULT_LESION_MASKS_DIR, help: "--synth: lesion masks folder; only masks of the 'train' role are used" },
  'shared-data': { type: 'string', default: DEFAULT_SHARED_DATA_DIR, help: '--synth: folder holding anatomy/ and real/ (the heads)' },
  heads: { type: 'string', default: '', help: '--synth: heads to draw (comma-separated: colin27, icbm152-2009, betsct1, chris-t1; default all)' },
  'random-contrast': { type: 'number', default: DEFAULT_RANDOM_CONTRAST_SHARE, help: '--synth mr: share of slices whose tissue intensities are all random (the rest: T1, T2, FLAIR, DWI, ADC-like)' },
  contrasts: { type: 'string', default: '', help: "--synth mr: the named contrasts drawn, uniformly from this list (repeat one to draw it more often), e.g. t1,t2,t2,flair,dwi,adc; default: each once" },
  'wm-disease': { type: 'number', default: 0, help: '--synth: share of scans with unlabelled white-matter disease around the ventricles (a distractor stroke masks leave out)' },
  'ct-lesion-hu': { type: 'list', help: '--synth ct: LOW,HIGH: how far (HU) below the tissue it replaces an infarct is drawn; default 2,15' },
  'ct-wm-disease-hu': { type: 'list', help: '--synth ct: LOW,HIGH: how far (HU) below white matter its disease (leukoaraiosis) is drawn; default 2,6' },
  'lesion-shift': { type: 'number', default: DEFAULT_LESION_SHIFT_MM, help: '--synth: how far (mm, each axis, at most) a lesion moves from where its mask puts it' },
  'field-of-view': { type: 'number', default: 0, help: '--synth: share of scans acquired with a tight field of view around the head (air beyond it)' },
  'chronic-flair': { type: 'number', default: 0, help: '--synth: share of FLAIR scans whose lesions are chronic infarcts (a CSF-dark cavity in a bright rim)' },
  coil: { type: 'number', default: 0, help: "--synth mr: share of scans with a receive coil's uneven sensitivity (a darker or brighter vertex, skull base or periphery)" },
  'epi-artifact': { type: 'number', default: 0, help: '--synth mr: share of DWI and ADC scans with echo-planar susceptibility artefacts at the skull base (unlabelled bright or dark patches)' },
  atrophy: { type: 'number', default: 0, help: '--synth: share of scans with atrophy (sulci and ventricles widened into the brain by 0.5-2 mm, as in older brains)' },
  'lesion-anatomy': { type: 'number', default: 0, help: '--synth mr: share of scans whose lesions let the anatomy they replace show through (white matter changed most, cortex and sulci less, in patches)' },
  'acquisition-look': { type: 'number', default: 0, help: "--synth mr: share of T2, DWI and ADC scans drawn with their real acquisition's look (echo-planar DWI and ADC: coarse, dark scalp, ADC grey matter near white; fast-spin-echo T2: finer, bright scalp fat, grey well above white), so that a T2 scan and an ADC map, whose lesions have opposite polarity, differ" },
  'contrast-channels': { type: 'string', default: '', help: "--synth mr: tell the model the scan's contrast: one more input channel per contrast listed (e.g. t1,t2,flair,dwi,adc), 1 over the slice for the scan's contrast and 0 for the others (the app reads the contrast from the scan's files; one not named gives 0 in all); default: the scan alone" },
  'mirror-channel': { type: 'boolean', help: "--synth: show the model each slice minus its mirror image about the head's midline as a second input channel (midline.ts), so that it can compare a region with the same place in the other hemisphere; from a checkpoint without it, its weights start at zero" },
  'mirror-share': { type: 'number', default: 0, help: '--mirror-channel from a checkpoint without it (--init-from): its first-layer weights start as this share of the scan channel\'s (the first layer then sees the slice plus this share of its difference from the mirror image), instead of 0 (the network as it was, which a fine-tuning rate hardly moves)' },
  'unnamed-contrast': { type: 'number', default: 0.2, help: '--contrast-channels: share of slices of a named contrast told none, as a scan whose files do not name it (random contrasts are never named)' },
  target: { type: 'string', choices: SYNTH_TARGETS, default: 'lesion', help: '--synth: what the model learns to mark: the stroke lesion, or the brain (parenchyma and its CSF: a skull-stripping model)' },
  'max-masks': { type: 'integer', default: 400, help: '--synth: lesion masks read (a seeded choice among the training ones; each takes ~0.3 s to read)' },
  checkpoint: { type: 'string', default: '', help: 'checkpoint folder (default MODEL_DIR/checkpoint); keep it outside the work tree for long runs' },
  'init-from': { type: 'string', default: '', help: "start from the weights of this checkpoint folder (a fresh optimizer); the card keeps the earlier runs' history (e.g. models/mr/training); a checkpoint of the same network with fewer filters is widened into --filters without changing its outputs (Net2Net)" },
  'lap-warmup': { type: 'integer', default: 0, help: 'steps over which the Laplacian weight grows from 0 to --lap-weight (LOSS.md)' },
  out: { type: 'string', required: true, help: 'model folder: model.json, shards, model-card.json, checkpoint/' },
  epochs: { type: 'integer', default: 20, help: 'epochs' },
  'steps-per-epoch': { type: 'integer', default: 50, help: 'batches per epoch' },
  batch: { type: 'integer', default: 8, help: 'slices per batch (paper: 8)' },
  lr: { type: 'number', default: 1e-3, help: 'Adam learning rate (paper: 1e-3)' },
  'lr-schedule': { type: 'string', choices: ['constant', 'cosine'], default: 'constant', help: 'learning rate over the run: --lr throughout, or falling from --lr to 0 along a half cosine by the last step of --epochs' },
  size: { type: 'integer', default: 128, help: 'training slice size in pixels (multiple of 64 with the LFFGM, else 16)' },
  spacing: { type: 'number', default: 2, help: 'in-plane pixel spacing the model works at (mm)' },
  filters: { type: 'list', default: [16, 32, 64, 128, 256], help: 'filters of UNet++ levels 0..4 (paper: 32,64,128,256,512)' },
  aux: { type: 'string', choices: ['lffgm', 'simple', 'none'], default: 'lffgm', help: 'edge task: the LFFGM, a simple edge head, or none (Table 2)' },
  'lap-weight': { type: 'number', default: 10, help: 'weight of the Laplacian consistency loss (paper: 10)' },
  'edge-width': { type: 'integer', default: 2, help: 'edge band width in pixels' },
  'weight-average': { type: 'number', default: 0, help: 'validate and export a moving average of the weights with this decay per step (e.g. 0.998: ~500 steps; 0: the last weights)' },
  'lesion-fraction': { type: 'number', default: 0.5, help: 'share of each batch drawn from slices with lesion' },
  'val-cases': { type: 'integer', default: 6, help: 'validation cases scored each epoch (0: all)' },
  seed: { type: 'integer', default: 1, help: 'split, sampling and augmentation seed' },
  backend: { type: 'string', choices: ['auto', 'wasm', 'webgpu', 'cpu'], default: 'auto', help: 'tfjs backend in Node' },
  engine: { type: 'string', choices: ['tfjs', 'torch'], default: 'tfjs', help: 'what runs the training steps: tfjs on --backend, or PyTorch in a child process (a step ~4x faster on one CPU core; synthesis and validation stay in Node, on another core)' },
  python: { type: 'string', default: '/usr/bin/python3', help: '--engine torch: a Python 3 with PyTorch (Debian: apt-get install python3-torch)' },
  threads: { type: 'integer', default: 1, help: "--engine torch: PyTorch's threads" },
  'max-minutes': { type: 'number', default: 0, help: 'stop after the epoch that would overrun this budget (0: no limit)' },
  float16: { type: 'boolean', help: 'store exported weights as float16 (half the download)' },
  'keep-epochs': { type: 'boolean', help: 'also export every epoch\'s validated weights to OUT/epoch-N (a model folder each, with its card), so that any epoch can be judged later, not only the best' },
  resume: { type: 'boolean', help: 'continue from MODEL_DIR/checkpoint exactly where it stopped' },
  name: { type: 'string', default: '', help: 'model name for the card (default: the out folder name)' },
} as const satisfies OptionTable

/** The options of one training run, parsed once. */
export type TrainConfig = Options<typeof TRAIN_OPTIONS>

/** Options that change where a run keeps things and how long a session runs it, not the model it makes. */
const RUN_KEEPING_OPTIONS = ['_', 'checkpoint', 'max-minutes', 'resume', 'keep-epochs'] as const
type RunKeepingOption = (typeof RUN_KEEPING_OPTIONS)[number]

/**
 * What decides the model a run makes: every option but where its checkpoint and epochs are kept, its time budget
 * per session and whether it resumes. Kept in the card (`training.config`); two runs with the same one train the
 * same model.
 */
export function modelDefiningOptions(config: TrainConfig): Omit<TrainConfig, RunKeepingOption> {
  const rest: Partial<TrainConfig> = { ...config }
  for (const key of RUN_KEEPING_OPTIONS) delete rest[key]
  return rest as Omit<TrainConfig, RunKeepingOption>
}

export async function train(argv: string[]): Promise<ModelCard> {
  let o = parseOptions(argv, TRAIN_OPTIONS)
  const out = o.out
  const checkpointDir = o.checkpoint || join(out, CHECKPOINT)
  const statePath = join(checkpointDir, 'state.json')
  let state: TrainState | null = null
  if (o.resume) {
    if (!existsSync(statePath)) throw new UsageError(`--resume: no checkpoint in ${checkpointDir}`)
    state = JSON.parse(readFileSync(statePath, 'utf8')) as TrainState
    // The run continues with its own options; only the length of the run and where it is kept may change.
    o = { ...state.options, epochs: o.epochs, 'max-minutes': o['max-minutes'], checkpoint: o.checkpoint, out, 'keep-epochs': o['keep-epochs'], resume: true, _: [] }
  }
  if (!o.data) throw new UsageError('--data is required (see --help)')
  if (o['mirror-channel'] && !o.synth) throw new UsageError('--mirror-channel needs --synth (the generator knows where each head\'s midline is)')
  const aux = o.aux
  const contrastChannels = contrastChannelsOf(o['contrast-channels'], o.synth)
  const ctRanges = o.synth ? ctHuRangesOf(o, o.synth) : {}
  const size = o.size
  if (size % sizeMultipleFor(aux) !== 0) throw new UsageError(`--size ${size} must be a multiple of ${sizeMultipleFor(aux)} with --aux ${aux}`)
  const backend = await selectBackend(o.backend)
  const started = Date.now()
  const dataset = findDataset(o.data)
  const synth = o.synth
  // With --synth every case of --data validates; otherwise --data is split into train, validation and test.
  const split: Split = synth ? { train: [], validation: dataset.cases.map((c) => c.id), test: [] } : splitOf(dataset, o.seed)
  if ((!synth && split.train.length === 0) || split.validation.length === 0) throw new UsageError(`${dataset.dir}: needs at least 3 cases (train and validation)`)
  const byId = new Map(dataset.cases.map((c) => [c.id, c]))
  const load = (ids: readonly string[]) => ids.map((id) => loadCase(byId.get(id)!))
  const valCases = load(o['val-cases'] > 0 ? split.validation.slice(0, o['val-cases']) : split.validation)
  const trainCases = load(split.train)
  const first = trainCases[0] ?? valCases[0]
  const modality = synth ? (synth === 'ct' ? 'CT' : 'MR') : first.image.modality === 'CT' || guessModality(first.image.data) === 'CT' ? 'CT' : 'MR'
  const normalization = modality === 'CT' ? CT_NORMALIZATION : MR_NORMALIZATION
  // Made on the first batch, so that a resumed run with nothing left to train goes straight to the export.
  let batches: BatchSource | null = null
  const nextBatch: BatchSource = (epoch, step) => {
    batches ??= synth ? synthBatches(synth, o, normalization, contrastChannels, ctRanges) : trainBatches(trainCases.map((c) => prepareCase(c, normalization, o.spacing)), o)
    return batches(epoch, step)
  }
  const datasetInfo = readDatasetInfo(dataset.dir)
  const inputChannels = inputChannelsOf(o)
  const spec: Partial<UnetPlusPlusSpec> = { filters: o.filters as unknown as UnetPlusPlusSpec['filters'], aux, inputChannels }
  const trained = buildMultiTaskModel(spec)
  state ??= { epoch: 0, bestDice: null, bestEpoch: null, history: [], options: { ...o }, trainSeconds: 0, earlierRuns: o['init-from'] ? runsOf(o['init-from']) : [] }
  const restored = o.resume || o['init-from'] ? await restoreCheckpoint(o.resume ? checkpointDir : o['init-from'], trained) : null
  if (!o.resume && o['mirror-share'] !== 0) {
    // The checkpoint had the scan channel alone: the mirror channel (channel 1) is new, widened in at zero weights.
    if (!o['mirror-channel'] || restored?.inputChannels !== 1) throw new UsageError('--mirror-share needs --mirror-channel and --init-from a checkpoint without the mirror channel')
    startMirrorChannel(trained.model, o['mirror-share'])
  }
  const decaySteps = o['lr-schedule'] === 'cosine' ? o.epochs * o['steps-per-epoch'] : 0
  const stepOptions = { learningRate: o.lr, weights: { laplacian: o['lap-weight'] }, edgeWidthPx: o['edge-width'], laplacianWarmupSteps: o['lap-warmup'], learningRateDecaySteps: decaySteps }
  const trainer = o.engine === 'torch' ? await createTorchTrainer(trained, stepOptions, { python: o.python, threads: o.threads }) : createTrainer(trained, stepOptions)
  if (o.resume) await trainer.restoreOptimizer(checkpointDir)
  const engine = o.engine === 'torch' ? `${trainer.description} (steps), ${backend.description} (validation)` : backend.description
  // The average starts at the weights the run starts from, or continues the one the checkpoint saved.
  const average = o['weight-average'] > 0 ? createWeightAverage(trained.model, o['weight-average']) : null
  const savedAverage = average && o.resume ? loadWeightAverage(checkpointDir) : null
  if (savedAverage) average!.restore(savedAverage)
  tf.dispose(savedAverage?.map((n) => n.tensor) ?? [])
  // Validation and export see the averaged weights when the run keeps an average.
  const scored = <T>(use: () => Promise<T>) => (average ? average.withAveraged(use) : use())
  const card = (inference: tf.LayersModel, validation: CardScores | null, test: CardScores | null, extra: Record<string, unknown> = {}): ModelCard => ({
    format: MODEL_CARD_FORMAT,
    name: o.name || out.split(/[\\/]/).filter(Boolean).at(-1)!,
    modality,
    contrast: modality === 'CT' ? 'non-contrast CT' : synth ? mrContrastDescription(contrastsOf(o.contrasts) ?? MR_CONTRASTS, o['random-contrast']) : 'T1-weighted MR',
    architecture: { name: 'UNet++', filters: o.filters, inputChannels, trainingAux: aux, parameters: inference.countParams() },
    input: { plane: 'axial', orientation: 'RAS', spacingMm: o.spacing, sizeMultiple: UNET_SIZE_MULTIPLE, trainingSize: size, ...(o['mirror-channel'] ? { mirrorChannel: true } : {}), ...(contrastChannels.length > 0 ? { contrastChannels } : {}) },
    normalization,
    threshold: 0.5,
    training: {
      dataKind: synth ? `synth-${synth}` : (datasetInfo.kind ?? dataset.layout),
      dataDescription: synth ? [SYNTH_DESCRIPTIONS[synth], ...ctHuRangesDescription(ctRanges), o.target === 'brain' && 'the masks mark the brain, not the lesion'].filter(Boolean).join('; ') : (datasetInfo.description ?? `${dataset.layout} dataset at ${dataset.dir}`),
      dataOrigin: synth ? 'synthetic' : (datasetInfo.dataOrigin ?? 'real'),
      subjects: { train: split.train.length, validation: valCases.length, test: split.test.length },
      epochs: state!.epoch,
      stepsPerEpoch: o['steps-per-epoch'],
      batch: o.batch,
      optimizer: `Adam, learning rate ${o.lr}` + (decaySteps > 0 ? ` falling to 0 along a half cosine over ${decaySteps} steps` : '') + (o['weight-average'] > 0 ? `; validated and exported: the moving average of the weights (decay ${o['weight-average']} per step)` : ''),
      loss: (aux === 'none' ? `Dice + BCE + ${o['lap-weight']} x Laplacian` : `(Dice + BCE) mask + (Dice + BCE) edge (${aux}) + ${o['lap-weight']} x Laplacian`) + (o['lap-warmup'] ? ` (Laplacian weight ramped from 0 over the first ${o['lap-warmup']} steps)` : ''),
      steps: state!.epoch * o['steps-per-epoch'],
      edgeWidthPx: o['edge-width'],
      seed: o.seed,
      backend: engine,
      commandLine: `npm run train -- ${argv.join(' ')}`,
      config: modelDefiningOptions(o),
      trainSeconds: Math.round(state!.trainSeconds),
      history: state!.history,
      earlierRuns: state!.earlierRuns ?? [],
      totalSteps: (state!.earlierRuns ?? []).reduce((n, r) => n + r.steps, 0) + state!.epoch * o['steps-per-epoch'],
      ...extra,
    },
    metrics: { validation, test },
    createdAt: new Date().toISOString(),
    tfjsVersion: tf.version.tfjs,
    intendedUse: 'Research use only, not for diagnosis.',
  })
  const log = (line: string) => process.stderr.write(`\r${line.padEnd(110)}`)
  console.log(`training ${out} on ${engine}: ${synth ? `synthetic ${synth} slices` : `${trainCases.length} train cases`}, ${valCases.length} validation cases (${dataset.layout})`)
  const budgetMs = o['max-minutes'] * 60_000
  let stoppedEarly = false
  for (let epoch = state.epoch; epoch < o.epochs; epoch++) {
    const epochStart = Date.now()
    let lossSum = 0
    const steps = o['steps-per-epoch']
    let batch = nextBatch(epoch, 0)
    for (let step = 0; step < steps; step++) {
      const { images, masks } = batch
      const stepped = trainer.step(images, masks, epoch * steps + step)
      // With --engine torch the step runs in another process: the next batch is synthesised meanwhile.
      if (step + 1 < steps) batch = nextBatch(epoch, step + 1)
      const losses = await stepped
      average?.update()
      tf.dispose([images, masks])
      lossSum += losses.total
      const perStep = (Date.now() - epochStart) / (step + 1)
      const eta = perStep * (o.epochs * steps - (epoch * steps + step + 1))
      log(`epoch ${epoch + 1}/${o.epochs} step ${step + 1}/${steps} loss ${losses.total.toFixed(3)} (mask ${losses.mask.toFixed(3)}${losses.edge === null ? '' : ` edge ${losses.edge.toFixed(3)}`} lap ${losses.laplacian.toFixed(4)}) best val Dice ${state.bestDice?.toFixed(3) ?? '-'} ETA ${(eta / 60000).toFixed(1)} min`)
    }
    backend.assertHealthy() // before anything of this epoch is kept
    const { inference, validation } = await scored(async () => {
      const inference = toInferenceModel(trained)
      return { inference, validation: await evaluateCases(valCases, { model: inference, card: card(inference, null, null) }) }
    })
    const dice = validation.perVolume.meanDice
    const seconds = (Date.now() - epochStart) / 1000
    state.trainSeconds += seconds
    state.history.push({ epoch: epoch + 1, loss: lossSum / steps, validationDice: dice, seconds: Math.round(seconds) })
    state.epoch = epoch + 1
    if (dice !== null && (state.bestDice === null || dice >= state.bestDice)) { // a tie goes to the later, longer-trained epoch
      state.bestDice = dice
      state.bestEpoch = epoch + 1
      await saveModelFiles(inference, out, { float16: Boolean(o.float16) })
      writeModelCard(out, card(inference, scoresOf(validation), null, { bestEpoch: epoch + 1 }))
    }
    if (o['keep-epochs']) {
      const epochDir = join(out, `epoch-${epoch + 1}`)
      await saveModelFiles(inference, epochDir, { float16: Boolean(o.float16) })
      writeModelCard(epochDir, card(inference, scoresOf(validation), null))
    }
    inference.dispose()
    await saveCheckpoint(checkpointDir, trained.model, trainer, state, average?.named() ?? null)
    log(`epoch ${epoch + 1}: loss ${(lossSum / steps).toFixed(3)}, validation Dice ${dice?.toFixed(3) ?? '-'} (best ${state.bestDice?.toFixed(3)} at epoch ${state.bestEpoch}), ${seconds.toFixed(0)} s\n`)
    if (budgetMs > 0 && Date.now() - started + seconds * 1000 > budgetMs && epoch + 1 < o.epochs) {
      stoppedEarly = true
      console.log(`stopping after epoch ${epoch + 1}: the next epoch would overrun --max-minutes ${o['max-minutes']}`)
      break
    }
  }
  trainer.dispose()
  average?.dispose()
  trained.model.dispose()
  if (!existsSync(join(out, 'model.json'))) throw new Error('no epoch produced a validation score; nothing exported')
  // Test split, scored with the exported model as the app will load it.
  const { model, cardJson: exportedCard } = await loadModelFolder(out, '--out')
  const testEvaluation = split.test.length > 0 ? await evaluateCases(load(split.test), { model, card: exportedCard }) : null
  const finalCard = card(model, exportedCard.metrics.validation, testEvaluation ? scoresOf(testEvaluation) : null, { bestEpoch: state.bestEpoch, stoppedByTimeBudget: stoppedEarly })
  writeModelCard(out, { ...finalCard, metrics: { ...finalCard.metrics, testLesionDetection: testEvaluation?.lesionDetection ?? null } })
  model.dispose()
  console.log(`exported ${out}: best validation Dice ${state.bestDice?.toFixed(3)} (epoch ${state.bestEpoch}), test Dice ${finalCard.metrics.test?.dice.toFixed(3) ?? '-'}`)
  return finalCard
}

const SYNTH_DESCRIPTIONS: Record<SynthMode, string> = {
  mr: 'contrast-randomised synthetic MR slices (SynthSeg-style): tissue labels of four real heads (Colin27, ICBM152 2009, betsct1 in MNI space; chris_t1 registered to Colin27), real stroke lesion shapes (LESYMAP, SOOP, ARC; training role only), random affine and elastic deformation, per-label random intensities (T1, T2, FLAIR, DWI, ADC-like or random), bias field, slice thickness 1-7 mm, blur, gamma, noise, skull stripping',
  ct: 'synthetic non-contrast CT slices: tissue labels of four real heads (Colin27 and chris_t1 with their skulls; ICBM152 2009 and betsct1 with skull shells drawn around the brain) in Hounsfield ranges, real stroke lesion shapes (training role only) 2-15 HU below the tissue they replace, random affine and elastic deformation, slice thickness 0.6-7 mm, blur, noise',
}

function scoresOf(e: Evaluation): CardScores {
  return { dice: roundScore(e.perVolume.meanDice ?? 0), iou: roundScore(e.perVolume.meanIou ?? 0), cases: e.perVolume.scored, bothEmpty: e.perVolume.bothEmpty }
}

if (process.argv[1]?.endsWith('train.ts')) {
  runCli(helpText('train', 'Trains UNet++ with the multi-task edge branch and exports the main branch for the app.', TRAIN_OPTIONS), async (argv) => {
    await train(argv)
  })
}
