import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { obliqueScan, thresholdModel } from '../../testing/pipelineFixtures'
import { describeWithRealData, readRealFile } from '../../testing/realData'
import { readNifti } from '../io/nifti/readNifti'
import { selectBackend } from '../training/backend/selectBackend'
import { loadModelFolder } from '../training/cli/modelFolder'
import { fileModelHandler } from '../training/io/modelFiles'
import { connectedComponents } from '../volume/connectedComponents'
import { dilateMask } from '../volume/dilateMask'
import { disposeSegmentationModel, loadSegmentationModel, ModelLoadError, type SegmentationModel } from './loadSegmentationModel'
import { planRun } from './runPlan'
import { brainStepNotice, MIN_BRAIN_ML, segmentScan } from './segmentScan'
import { segmentVolume } from './segmentVolume'
import { readFileSync } from 'node:fs'

const mrCard = JSON.parse(readFileSync('models/mr/model-card.json', 'utf8'))

describe('segmentScan', () => {
  beforeAll(async () => {
    await selectBackend('wasm')
  })

  it('loads the brain model that the bundled MR card names, from the folder beside it, and frees both', async () => {
    expect(mrCard.brainMask?.model).toBe('../brain')
    const tensorsBefore = tf.memory().numTensors
    const loaded = await loadModelFolder('models/mr')
    expect(loaded.brain?.card.input.padToTrainingSize).toBe(true)
    expect(loaded.brain?.card.modality).toBe('MR')
    disposeSegmentationModel(loaded)
    expect(tf.memory().numTensors).toBe(tensorsBefore)
  })

  it('refuses to load a model whose brain model cannot be read, naming it, and leaves no tensor', async () => {
    const tensorsBefore = tf.memory().numTensors
    const missing = async () => ({ source: fileModelHandler('models/no-such-folder/model.json'), cardJson: mrCard })
    await expect(loadSegmentationModel(fileModelHandler('models/mr/model.json'), mrCard, missing)).rejects.toThrow(ModelLoadError)
    await expect(loadSegmentationModel(fileModelHandler('models/mr/model.json'), mrCard, missing)).rejects.toThrow(/brain model .*\.\.\/brain/)
    expect(tf.memory().numTensors).toBe(tensorsBefore)
  })

  it('keeps every lesion, and says why, when no brain model came with the card or its outline is too small to be a brain', async () => {
    const scan = obliqueScan() // 5 mL of "head": no brain outline can be a brain
    const [lesionModel, brainModel] = [thresholdModel(), thresholdModel()]
    const card = { ...mrCard, threshold: 0.5, seedThreshold: undefined, minLesionMl: 0, mirrorAveraging: false }
    const plan = planRun(scan, 'wasm')
    const plain = await segmentVolume(scan, lesionModel, { ...card, brainMask: undefined }, plan)
    expect(plain.mask.data.some((v) => v === 1)).toBe(true)
    const tensorsBefore = tf.memory().numTensors
    const notAsked = await segmentScan(scan, { model: lesionModel, card: { ...card, brainMask: undefined } }, plan)
    const noModel = await segmentScan(scan, { model: lesionModel, card }, plan)
    const tooSmall = await segmentScan(scan, { model: lesionModel, card, brain: { model: brainModel, card: { ...card, brainMask: undefined } } }, plan)
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    expect([notAsked.brain.kind, noModel.brain.kind, tooSmall.brain.kind]).toEqual(['not-asked', 'no-model', 'implausible'])
    for (const result of [notAsked, noModel, tooSmall]) expect(Array.from(result.mask.data)).toEqual(Array.from(plain.mask.data))
    expect(tooSmall.brain.kind === 'implausible' && tooSmall.brain.brainMl < MIN_BRAIN_ML).toBe(true)
    expect(brainStepNotice(notAsked.brain)).toBeNull()
    expect(brainStepNotice(noModel.brain)).toMatch(/brain model that was not loaded with it, so marks were not checked against the brain/)
    expect(brainStepNotice(tooSmall.brain)).toMatch(/^The brain could not be outlined on this scan \(\d+ mL found\), so marks were not checked against the brain/)
    lesionModel.dispose()
    brainModel.dispose()
  })
})

describeWithRealData('segmentScan on a real healthy head', () => {
  let loaded: SegmentationModel
  beforeAll(async () => {
    await selectBackend('wasm')
    loaded = await loadModelFolder('models/mr')
  })

  it('outlines a brain of a brain\'s volume and keeps no mark that lies mostly outside it (T1, 0.88 mm, the face in the scan)', { timeout: 120_000 }, async () => {
    const scan = readNifti(readRealFile('mri_t1/chris_t1.nii.gz'), 'chris_t1.nii.gz').volume
    const plan = planRun(scan, 'wasm')
    const tensorsBefore = tf.memory().numTensors
    const result = await segmentScan(scan, loaded, plan)
    const brain = await segmentVolume(scan, loaded.brain!.model, loaded.brain!.card, plan)
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    disposeSegmentationModel(loaded)
    if (result.brain.kind !== 'applied') throw new Error(`the brain step was ${result.brain.kind}`)
    expect(result.brain.brainMl).toBeGreaterThan(1000)
    expect(result.brain.brainMl).toBeLessThan(2200)
    const region = dilateMask(brain.mask.data, scan.dims, scan.spacing, loaded.card.brainMask!.dilationMm)
    const { labels, count, sizes } = connectedComponents(result.mask.data, scan.dims)
    const inside = new Array<number>(count + 1).fill(0)
    for (let i = 0; i < labels.length; i++) if (labels[i] && region[i]) inside[labels[i]]++
    for (let label = 1; label <= count; label++) expect(inside[label]).toBeGreaterThanOrEqual(0.5 * sizes[label])
    expect(result.brain.lesionsDropped).toBeGreaterThan(0) // the marks in the face and at the skull base
    expect(brainStepNotice(result.brain)).toMatch(/^\d+ marks? lying mostly outside the brain \(\d+ mL outlined\) dropped$/)
  })
})
