/**
 * Training on the generator end to end, tiny: make-data synth-mr (validation masks) -> train --synth with a
 * checkpoint outside the model folder -> --resume -> --init-from (contrast and mirror channels added) -> tune-threshold -> evaluate:real on the real
 * FLAIR pair.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithRealData, LESION_MASKS_DIR } from '../../../testing/realData'
import { realScanSummary, type ModelCard } from '../../pipeline/modelCard'
import { buildMultiTaskModel, runMultiTask } from '../../model/multiTaskModel'
import { selectBackend } from '../backend/selectBackend'
import { loadTensors } from '../io/tensorFiles'
import { readNifti } from '../../io/nifti/readNifti'
import { evaluate } from './evaluate'
import { evaluateReal } from './evaluateReal'
import { makeDataset } from './makeData'
import { ctHuRangesOf } from './trainingBatches'
import { restoreCheckpoint } from '../loop/checkpoint'
import { findDataset, readDatasetInfo } from '../data/datasetLayout'
import { predictSlices } from '../../pipeline/predictSlices'
import { loadModelFolder } from './modelFolder'
import { detectionBySize } from '../loop/detectionBySize'
import { train } from './train'
import { tuneThreshold } from './tuneThreshold'

const work = mkdtempSync(join(tmpdir(), 'strokeseg-synth-'))
const [data, healthy, model, checkpoint] = ['data', 'healthy', 'model', 'checkpoint'].map((d) => join(work, d))
const tiny = ['--synth', 'mr', '--heads', 'betsct1', '--max-masks', '4', '--data', data, '--filters', '2,4,4,8,8', '--size', '64', '--batch', '2', '--steps-per-epoch', '2', '--backend', 'wasm', '--lap-warmup', '3']

afterAll(() => rmSync(work, { recursive: true, force: true }))

describeWithRealData('training on synthetic slices', () => {
  beforeAll(async () => {
    await selectBackend('wasm')
    makeDataset({ out: data, kind: 'synth-mr', subjects: 1, seed: 3, masks: LESION_MASKS_DIR, heads: 'betsct1', 'mask-role': 'validation' })
    makeDataset({ out: healthy, kind: 'synth-mr', subjects: 2, seed: 4, masks: LESION_MASKS_DIR, heads: 'betsct1', 'mask-role': 'validation', 'lesion-free': 1, contrasts: 'flair,t1' })
  }, 120_000)

  it('trains with its checkpoint outside the model folder, resumes where it stopped, and records the whole history', { timeout: 240_000 }, async () => {
    const first = await train([...tiny, '--out', model, '--checkpoint', checkpoint, '--epochs', '1'])
    expect(first.training.dataKind).toBe('synth-mr')
    expect(first.training.dataOrigin).toBe('synthetic')
    expect(first.training.loss).toMatch(/ramped from 0 over the first 3 steps/)
    expect(existsSync(join(checkpoint, 'state.json'))).toBe(true)
    expect(existsSync(join(model, 'checkpoint'))).toBe(false)
    // --resume needs only where the run is kept and its new length: the rest (--data included) is the run's own.
    const resumed = await train(['--out', model, '--checkpoint', checkpoint, '--epochs', '2', '--resume'])
    expect((resumed.training.history as Array<{ epoch: number }>).map((h) => h.epoch)).toEqual([1, 2])
    expect(resumed.training.steps).toBe(4)
    await expect(train(['--out', model, '--epochs', '2'])).rejects.toThrow('--data is required')
  })

  it('--init-from starts from a checkpoint\'s weights, widens a narrower network, and refuses another network', { timeout: 60_000 }, async () => {
    const before = tf.memory().numTensors
    const trained = buildMultiTaskModel({ filters: [2, 4, 4, 8, 8], aux: 'lffgm' })
    await restoreCheckpoint(checkpoint, trained)
    const saved = loadTensors(join(checkpoint, 'weights'))
    trained.model.weights.forEach((w, i) => expect(Array.from(w.read().dataSync())).toEqual(Array.from(saved[i].tensor.dataSync())))
    tf.dispose(saved.map((s) => s.tensor))
    const wider = buildMultiTaskModel({ filters: [4, 4, 6, 8, 12], aux: 'lffgm' })
    await restoreCheckpoint(checkpoint, wider)
    const slices = tf.randomNormal([1, 64, 64, 1], 0, 1, 'float32', 5) as tf.Tensor4D
    const [narrowMask, wideMask] = [trained, wider].map((m) => {
      const { maskLogits, edgeLogits } = runMultiTask(m, slices, false)
      tf.dispose(edgeLogits!)
      return maskLogits
    })
    expect(tf.tidy(() => narrowMask.sub(wideMask).abs().max().dataSync()[0])).toBeLessThan(1e-4)
    tf.dispose([slices, narrowMask, wideMask])
    trained.model.dispose()
    wider.model.dispose()
    const other = buildMultiTaskModel({ filters: [1, 4, 4, 8, 8], aux: 'lffgm' })
    await expect(restoreCheckpoint(checkpoint, other)).rejects.toThrow(/is \[3,3,1,2\], the model's \[3,3,1,1\]/)
    other.model.dispose()
    expect(tf.memory().numTensors).toBe(before)
    const started = await train([...tiny, '--out', join(work, 'from-init'), '--init-from', checkpoint, '--epochs', '1'])
    expect(started.training.history).toHaveLength(1)
  })

  it('--contrast-channels trains a model told the contrast, from a checkpoint of the plain network, that answers per contrast', { timeout: 120_000 }, async () => {
    expect(findDataset(healthy).cases.map((c) => c.contrast)).toEqual(['FLAIR', 'T1']) // what make-data drew, as evaluation tells it
    const toldDir = join(work, 'told')
    const told = await train([...tiny, '--out', toldDir, '--init-from', checkpoint, '--contrast-channels', 'flair,t1', '--unnamed-contrast', '0', '--epochs', '1'])
    expect(told.architecture.inputChannels).toBe(3)
    expect(told.input.contrastChannels).toEqual(['FLAIR', 'T1'])
    const { model: network, cardJson } = await loadModelFolder(toldDir, '--model')
    const before = tf.memory().numTensors
    const slices = tf.randomNormal([1, 64, 64, 1], 0, 1, 'float32', 6) as tf.Tensor4D
    const [asFlair, asT1, unnamed] = (['FLAIR', 'T1', null] as const).map((contrast) => predictSlices(network, cardJson, slices, contrast))
    // Two steps moved the contrast channels' weights off zero: the answer depends on the contrast told.
    expect(tf.tidy(() => asFlair.sub(asT1).abs().max().dataSync()[0])).toBeGreaterThan(0)
    expect(tf.tidy(() => asFlair.sub(unnamed).abs().max().dataSync()[0])).toBeGreaterThan(0)
    tf.dispose([slices, asFlair, asT1, unnamed])
    expect(tf.memory().numTensors).toBe(before)
    network.dispose()
    // evaluate tells it the contrast make-data drew, or none with --unnamed
    const evaluateTold = (extra: string[]) => evaluate(['--model', toldDir, '--data', healthy, '--split', 'all', '--backend', 'wasm', '--json', join(work, 'told.json'), ...extra])
    expect((await evaluateTold([])).cases.map((c) => c.contrast)).toEqual(['FLAIR', 'T1'])
    expect((await evaluateTold(['--unnamed'])).cases.map((c) => c.contrast)).toEqual([null, null])
    await expect(train([...tiny, '--out', join(work, 'told-2'), '--contrast-channels', 't1,t1'])).rejects.toThrow(/--contrast-channels: a contrast is listed twice/)
    const notSynth = tiny.filter((a, i) => a !== '--synth' && tiny[i - 1] !== '--synth')
    await expect(train([...notSynth, '--out', join(work, 'told-3'), '--contrast-channels', 't1'])).rejects.toThrow(/--contrast-channels needs --synth mr/)
  })

  it('--mirror-channel trains a model shown the mirror image from a checkpoint of the plain network; evaluation finds the midline and shows it', { timeout: 120_000 }, async () => {
    const mirroredDir = join(work, 'mirrored')
    const mirrored = await train([...tiny, '--out', mirroredDir, '--init-from', checkpoint, '--mirror-channel', '--mirror-share', '0.5', '--epochs', '1'])
    expect(mirrored.architecture.inputChannels).toBe(2)
    expect(mirrored.input.mirrorChannel).toBe(true)
    const { model: network, cardJson } = await loadModelFolder(mirroredDir, '--model')
    const before = tf.memory().numTensors
    const slices = tf.randomNormal([1, 64, 64, 1], 0, 1, 'float32', 7) as tf.Tensor4D
    // Two steps moved the mirror channel's weights off zero: what it shows changes the answer.
    const [plain, other] = [0, 1].map((mirror) => tf.tidy(() => network.predict(tf.concat([slices, tf.fill([1, 64, 64, 1], mirror)], 3)) as tf.Tensor))
    expect(tf.tidy(() => plain.sub(other).abs().max().dataSync()[0])).toBeGreaterThan(0)
    tf.dispose([slices, plain, other])
    expect(tf.memory().numTensors).toBe(before)
    network.dispose()
    expect(cardJson.input.mirrorChannel).toBe(true)
    const evaluation = await evaluate(['--model', mirroredDir, '--data', healthy, '--split', 'all', '--backend', 'wasm', '--json', join(work, 'mirrored.json')])
    expect(evaluation.cases).toHaveLength(2)
    const notSynth = tiny.filter((a, i) => a !== '--synth' && tiny[i - 1] !== '--synth')
    await expect(train([...notSynth, '--out', join(work, 'mirrored-2'), '--mirror-channel'])).rejects.toThrow(/--mirror-channel needs --synth/)
    await expect(train([...tiny, '--out', join(work, 'mirrored-3'), '--init-from', checkpoint, '--mirror-share', '0.5'])).rejects.toThrow(/--mirror-share needs --mirror-channel/)
    await expect(train([...tiny, '--out', join(work, 'mirrored-4'), '--init-from', join(mirroredDir, 'checkpoint'), '--mirror-channel', '--mirror-share', '0.5'])).rejects.toThrow(/a checkpoint without the mirror channel/)
  })

  it('--engine torch trains with the steps in PyTorch, keeps its optimizer in the checkpoint and resumes from it', { timeout: 120_000 }, async () => {
    const torchCheckpoint = join(work, 'checkpoint-torch')
    const torchRun = [...tiny, '--engine', 'torch', '--out', join(work, 'model-torch'), '--checkpoint', torchCheckpoint]
    const first = await train([...torchRun, '--epochs', '1'])
    expect(first.training.backend).toMatch(/^PyTorch .* \(steps\), wasm/)
    expect(existsSync(join(torchCheckpoint, 'optimizer.pt'))).toBe(true)
    const resumed = await train([...torchRun, '--epochs', '2', '--resume'])
    expect((resumed.training.history as Array<{ epoch: number }>).map((h) => h.epoch)).toEqual([1, 2])
    expect((resumed.training.config as { engine: string }).engine).toBe('torch') // a resumed run keeps its options
  })

  it('tune-threshold picks the best score (mean Dice and lesion F1) on validation volumes and writes it, with the comparison, into the card', { timeout: 120_000 }, async () => {
    const selection = await tuneThreshold(['--model', model, '--data', data, '--thresholds', '0.3,0.5', '--backend', 'wasm'])
    expect(selection.candidates.map((c) => c.threshold)).toEqual([0.3, 0.5])
    for (const c of selection.candidates) {
      expect(c.lesionF1).toBeCloseTo((2 * c.lesionsDetected) / (2 * c.lesionsDetected + c.lesions - c.lesionsDetected + c.falsePositiveLesions), 3)
      expect(c.score).toBeCloseTo((c.meanDice + c.lesionF1) / 2, 3)
    }
    const best = Math.max(...selection.candidates.map((c) => c.score))
    expect(selection.candidates.find((c) => c.threshold === selection.chosen)!.score).toBe(best)
    const card = JSON.parse(readFileSync(join(model, 'model-card.json'), 'utf8')) as ModelCard
    expect(card.threshold).toBe(selection.chosen)
    expect(card.training.thresholdSelection).toEqual(selection)
    await expect(tuneThreshold(['--model', model, '--data', data, '--thresholds', '1.5'])).rejects.toThrow(/between 0 and 1/)
    // Several datasets, one with a lesion-free head (--lesion-free): what is marked on it is reported per threshold.
    const masks = ['case0001', 'case0002'].map((id) => readNifti(new Uint8Array(readFileSync(join(healthy, 'masks', `${id}.nii.gz`))), id).volume.data)
    expect(masks.map((m) => m.some((v) => v > 0))).toEqual([true, false])
    const withHealthy = await tuneThreshold(['--model', model, '--data', `${data},${healthy}`, '--thresholds', '0.5', '--min-lesion-ml', '0,1e6', '--backend', 'wasm'])
    expect(withHealthy.candidates[0].lesions).toBeGreaterThan(selection.candidates.find((c) => c.threshold === 0.5)!.lesions)
    expect(withHealthy.candidates[0].lesionFreeMl).toBeGreaterThanOrEqual(0)
    expect(selection.candidates[0].lesionFreeMl).toBeNull()
    // A minimum lesion size is a second choice: one of 1e6 mL drops every lesion found, on the same masks.
    expect(withHealthy.candidates.map((c) => c.minLesionMl)).toEqual([0, 1e6])
    expect(withHealthy.candidates[1]).toMatchObject({ threshold: 0.5, lesionsDetected: 0, lesionFreeMl: 0 })
    // The mean Dice counts both volumes with a lesion (0 where nothing is marked), not the lesion-free one left unmarked.
    expect(withHealthy.candidates[1].scoredVolumes).toBe(2)
    expect(selection.candidates.map((c) => c.scoredVolumes)).toEqual([1, 1])
    const tuned = JSON.parse(readFileSync(join(model, 'model-card.json'), 'utf8')) as ModelCard
    expect(tuned.minLesionMl).toBe(withHealthy.chosenMinLesionMl > 0 ? withHealthy.chosenMinLesionMl : undefined)
    // Hysteresis is a third choice: a seed threshold is tried only above the threshold; seeds keep a subset of the lesions.
    const seeded = await tuneThreshold(['--model', model, '--data', data, '--thresholds', '0.3', '--seed-thresholds', '0.2,0.6', '--backend', 'wasm'])
    expect(seeded.candidates.map((c) => c.seedThreshold)).toEqual([null, 0.6])
    const [plain, withSeeds] = seeded.candidates
    expect(withSeeds.lesionsDetected).toBeLessThanOrEqual(plain.lesionsDetected)
    expect(withSeeds.falsePositiveLesions).toBeLessThanOrEqual(plain.falsePositiveLesions)
    const seededCard = JSON.parse(readFileSync(join(model, 'model-card.json'), 'utf8')) as ModelCard
    expect(seededCard.seedThreshold).toBe(seeded.chosenSeedThreshold ?? undefined)
  })

  it("make-data --in-plane-mm draws the same cases on a fixed in-plane grid, and refuses one it cannot mean", { timeout: 60_000 }, () => {
    const [drawn, fixed] = ['ct-drawn', 'ct-2mm'].map((d) => join(work, d))
    const common = { kind: 'synth-ct', subjects: 1, seed: 5, masks: LESION_MASKS_DIR, heads: 'betsct1', 'mask-role': 'validation' } as const
    makeDataset({ ...common, out: drawn })
    makeDataset({ ...common, out: fixed, 'in-plane-mm': 2 })
    const [a, b] = [drawn, fixed].map((d) => readDatasetInfo(d).cases![0])
    const [spacingA, spacingB, mlA, mlB] = [a.spacingMm!, b.spacingMm!, a.lesionMl!, b.lesionMl!]
    expect(spacingA[0]).toBeGreaterThanOrEqual(1.2)
    expect(spacingA[0]).toBeLessThan(2)
    expect(spacingB.slice(0, 2)).toEqual([2, 2])
    expect(spacingB[2]).toBeCloseTo(spacingA[2], 6) // the same slices
    expect(b.lesionSources).toEqual(a.lesionSources) // the same lesions
    expect(mlB).toBeGreaterThan(0.8 * mlA)
    expect(mlB).toBeLessThan(1.25 * mlA)
    expect(readDatasetInfo(fixed).description).toMatch(/here every case at 2 mm in-plane$/)
    expect(() => makeDataset({ ...common, out: join(work, 'ct-bad'), 'in-plane-mm': 7 })).toThrow(/--in-plane-mm must be between 0.5 and 4/)
  })

  it('make-data --ct-lesion-hu and --ct-wm-disease-hu: recorded with the cases, refused for MR or when not LOW,HIGH', { timeout: 60_000 }, () => {
    const common = { kind: 'synth-ct', subjects: 1, seed: 5, masks: LESION_MASKS_DIR, heads: 'betsct1', 'mask-role': 'validation', 'wm-disease': 1 } as const
    const out = join(work, 'ct-ranges')
    makeDataset({ ...common, out, 'ct-lesion-hu': [12, 14], 'ct-wm-disease-hu': [6, 10] })
    const info = readDatasetInfo(out)
    expect([info.ctLesionDropHu, info.ctWhiteMatterDiseaseHu]).toEqual([[12, 14], [6, 10]])
    expect(info.description).toMatch(/here infarcts 12-14 HU darker; white-matter disease \(where drawn\) 6-10 HU darker$/)
    expect(info.cases![0].lesionMl).toBeGreaterThan(0)
    expect(() => makeDataset({ ...common, kind: 'synth-mr', out: join(work, 'mr-ranges'), 'ct-lesion-hu': [4, 15] })).toThrow('--ct-lesion-hu is for CT')
    expect(() => makeDataset({ ...common, out: join(work, 'ct-bad-range'), 'ct-wm-disease-hu': [10, 2] })).toThrow("--ct-wm-disease-hu must be LOW,HIGH in HU with 0 <= LOW <= HIGH <= 20; got '10,2'")
    expect(ctHuRangesOf({ 'ct-lesion-hu': [4, 15] }, 'ct')).toEqual({ ctLesionDropHu: [4, 15], ctWhiteMatterDiseaseHu: undefined })
    for (const bad of [[4], [15, 4], [-1, 5], [2, 41], [1, 2, 3], [Number.NaN, 5]]) expect(() => ctHuRangesOf({ 'ct-lesion-hu': bad }, 'ct'), String(bad)).toThrow('--ct-lesion-hu must be LOW,HIGH in HU')
  })

  it('evaluate gives the scores per contrast that make-data recorded for each synthetic volume', { timeout: 120_000 }, async () => {
    const evaluation = await evaluate(['--model', model, '--data', healthy, '--split', 'all', '--backend', 'wasm', '--json', join(work, 'evaluation.json')])
    const [lesion, lesionFree] = evaluation.cases // case0001 (FLAIR, a lesion), case0002 (T1, lesion-free)
    expect(lesion.lesions).toBeGreaterThan(0)
    expect(evaluation.byContrast).toEqual([
      { contrast: 'flair', cases: 1, dice: lesion.dice, lesions: lesion.lesions, detected: lesion.lesionsDetected, bySize: detectionBySize([lesion]), falsePositiveLesionsPerVolume: lesion.falsePositiveLesions },
      { contrast: 't1', cases: 1, dice: lesionFree.dice, lesions: 0, detected: 0, bySize: detectionBySize([]), falsePositiveLesionsPerVolume: lesionFree.falsePositiveLesions },
    ])
    expect(lesion.referenceLesions.map((l) => l.ml).reduce((a, b) => a + b, 0)).toBeCloseTo(lesion.referenceMl, 2) // the lesions' volumes add up to the mask's
    expect(evaluation.bySize.reduce((sum, band) => sum + band.found, 0)).toBe(lesion.lesionsDetected)
  })

  it('evaluate:real scores the real FLAIR against its expert mask and writes the scores into the card', { timeout: 120_000 }, async () => {
    const before = tf.memory().numTensors
    const evaluation = await evaluateReal(['--model', model, '--scans', 'stroke-flair,healthy-avg152-t1', '--backend', 'wasm', '--card', '--json', join(work, 'real.json')])
    expect(tf.memory().numTensors).toBe(before)
    expect(JSON.parse(readFileSync(join(work, 'real.json'), 'utf8')).scores).toEqual(JSON.parse(JSON.stringify(evaluation.scores)))
    expect(existsSync(join(model, 'evaluation-real.json'))).toBe(false) // --json: nothing else written beside the model
    const [flair, healthy] = evaluation.scores
    expect(flair.id).toBe('stroke-flair')
    expect(flair.referenceMl).toBeCloseTo(32.5, 0) // the expert mask: 32,481 voxels of 1 mm^3
    expect(flair.lesions).toBe(11)
    expect(flair.dice).toBeGreaterThanOrEqual(0)
    expect(healthy.dice).toBeNull()
    expect(healthy.headMl).toBeGreaterThan(1000)
    const card = JSON.parse(readFileSync(join(model, 'model-card.json'), 'utf8')) as ModelCard
    expect(card.metrics.realScans?.scores.map((s) => s.id)).toEqual(['stroke-flair', 'healthy-avg152-t1'])
    expect(realScanSummary(card)).toContain(`FLAIR Dice ${flair.dice!.toFixed(2)}`)
    await expect(evaluateReal(['--model', model, '--scans', 'nope'])).rejects.toThrow(/unknown id 'nope'/)
  })
})
