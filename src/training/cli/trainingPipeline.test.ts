/**
 * The training CLI end to end, tiny: make-data (4 subjects) -> train 2 epochs on WASM -> checkpoint -> resume
 * for a third -> export -> load the export over HTTP with the browser's loader -> evaluate -> segment scans.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSegmentationModel } from '../../pipeline/loadSegmentationModel'
import { readNifti } from '../../io/nifti/readNifti'
import { volumeScores } from '../../model/metrics/segmentationMetrics'
import { countNonZero, voxelVolumeMm3 } from '../../volume/volume'
import { realDataAvailable, realFile, REAL_DATA_MISSING, skipWithoutRealData } from '../../../testing/realData'
import { selectBackend } from '../backend/selectBackend'
import { datasetDigest, findDataset, loadCase } from '../data/datasetLayout'
import { fileModelHandler } from '../io/modelFiles'
import { averageModels } from './averageModels'
import { compareEvaluations } from './compareEvaluations'
import { evaluate } from './evaluate'
import { makeDataset } from './makeData'
import { segmentScans } from './segment'
import { train } from './train'

const work = mkdtempSync(join(tmpdir(), 'strokeseg-train-'))
const data = join(work, 'data')
const model = join(work, 'model')
const tinyRun = ['--data', data, '--out', model, '--steps-per-epoch', '4', '--batch', '2', '--size', '64', '--filters', '4,8,8,16,16', '--backend', 'wasm', '--val-cases', '1']

beforeAll(async () => {
  await selectBackend('wasm')
  makeDataset({ out: data, kind: 'synthetic-t1', subjects: 4, seed: 5, masks: '' })
}, 120_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('make-data -> train -> resume -> export -> load -> evaluate', () => {
  it('trains, resumes where it stopped, and exports a model the browser loader takes unchanged', { timeout: 240_000 }, async () => {
    const first = await train([...tinyRun, '--epochs', '2', '--keep-epochs'])
    expect(first.training.epochs).toBe(2)
    const resumed = await train([...tinyRun, '--epochs', '3', '--resume', '--keep-epochs'])
    const history = resumed.training.history as Array<{ epoch: number; loss: number; validationDice: number }>
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3])
    expect(history[2].loss).toBeLessThan(history[0].loss) // the loss falls
    expect(resumed.metrics.test).not.toBeNull()

    // --keep-epochs: every epoch's validated weights in a model folder of its own; the best one is the export.
    expect(readdirSync(model).filter((f) => f.startsWith('epoch-')).sort()).toEqual(['epoch-1', 'epoch-2', 'epoch-3'])
    const weightBytes = (dir: string) => Buffer.concat(readdirSync(dir).filter((f) => f.endsWith('.bin')).sort().map((f) => readFileSync(join(dir, f))))
    const best = resumed.training.bestEpoch as number
    expect(weightBytes(join(model, `epoch-${best}`)).equals(weightBytes(model))).toBe(true)
    expect(weightBytes(join(model, `epoch-${best === 1 ? 2 : 1}`)).equals(weightBytes(model))).toBe(false)
    const secondCard = JSON.parse(readFileSync(join(model, 'epoch-2', 'model-card.json'), 'utf8')) as { training: { epochs: number }; metrics: { validation: { dice: number } } }
    expect(secondCard.training.epochs).toBe(2)
    expect(secondCard.metrics.validation.dice).toBeCloseTo(history[1].validationDice, 4)

    // The browser loader: model.json over HTTP, the card beside it.
    const server: Server = createServer((request, response) => response.end(readFileSync(join(model, request.url!.slice(1)))))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const card = JSON.parse(readFileSync(join(model, 'model-card.json'), 'utf8')) as unknown
    const loaded = await loadSegmentationModel(`http://127.0.0.1:${port}/model.json`, card)
    server.close()
    expect(loaded.model.inputs[0].shape).toEqual([null, null, null, 1])
    // The same network as Node's loader reads from the files: the same probabilities on the same slices.
    const fromFiles = await loadSegmentationModel(fileModelHandler(join(model, 'model.json')), card)
    const before = tf.memory().numTensors
    const [difference, lowest, highest] = tf.tidy(() => {
      const slices = tf.randomNormal([2, 64, 48, 1], 0, 1, 'float32', 7) // [2, 64, 48, 1]
      const [a, b] = [loaded, fromFiles].map((m) => m.model.predict(slices) as tf.Tensor4D) // [2, 64, 48, 1] each
      return [a.sub(b).abs().max(), a.min(), a.max()].map((t) => t.dataSync()[0])
    })
    expect(difference).toBeLessThan(1e-6)
    expect(lowest).toBeGreaterThan(0) // sigmoid probabilities, not logits (float32 rounds a saturated sigmoid to exactly 1)
    expect(highest).toBeLessThanOrEqual(1)
    expect(tf.memory().numTensors).toBe(before)
    loaded.model.dispose()
    fromFiles.model.dispose()

    const evaluation = await evaluate(['--model', model, '--data', data, '--split', 'all', '--backend', 'wasm'])
    expect(evaluation.cases).toHaveLength(4)
    expect(evaluation.lesionDetection.lesions).toBeGreaterThan(0)
    const written = JSON.parse(readFileSync(join(model, 'evaluation-all.json'), 'utf8')) as { dataDigest: string }
    expect(written.dataDigest).toBe(await datasetDigest(findDataset(data).cases.map(loadCase))) // which volumes these scores are of
  })

  it('refuses a card that does not match the model', async () => {
    const card = JSON.parse(readFileSync(join(model, 'model-card.json'), 'utf8')) as { architecture: { parameters: number } }
    card.architecture.parameters += 1
    await expect(loadSegmentationModel(fileModelHandler(join(model, 'model.json')), card)).rejects.toThrow(/does not match its card/)
  })

  it('average-models: each weight the weighted mean of the models\' weights; models that cannot be averaged are refused', async () => {
    const copyModel = (to: string, scale: number) => {
      mkdirSync(to)
      for (const f of readdirSync(model).filter((f) => /\.(json|bin)$/.test(f))) copyFileSync(join(model, f), join(to, f))
      for (const f of readdirSync(to).filter((f) => f.endsWith('.bin'))) {
        const values = new Float32Array(new Uint8Array(readFileSync(join(to, f))).buffer).map((v) => v * scale)
        writeFileSync(join(to, f), new Uint8Array(values.buffer))
      }
    }
    const weightsOf = (dir: string) => new Float32Array(new Uint8Array(Buffer.concat(readdirSync(dir).filter((f) => f.endsWith('.bin')).sort().map((f) => readFileSync(join(dir, f))))).buffer)
    copyModel(join(work, 'tripled'), 3)
    const averaged = join(work, 'averaged')
    const before = tf.memory().numTensors
    await averageModels([model, join(work, 'tripled'), '--weights', '3,1', '--out', averaged, '--name', 'soup'])
    expect(tf.memory().numTensors).toBe(before)
    const [original, mean] = [weightsOf(model), weightsOf(averaged)]
    expect(mean).toHaveLength(original.length)
    expect(original.some((v) => v !== 0)).toBe(true)
    mean.forEach((v, i) => expect(v).toBeCloseTo(original[i] * (0.75 * 1 + 0.25 * 3), 5))
    const card = JSON.parse(readFileSync(join(averaged, 'model-card.json'), 'utf8')) as { name: string; training: { averageOf: Array<{ share: number }> }; metrics: { test: unknown } }
    expect([card.name, card.training.averageOf.map((a) => a.share), card.metrics.test]).toEqual(['soup', [0.75, 0.25], null])

    await expect(averageModels([model, '--out', join(work, 'x')])).rejects.toThrow(/at least two model folders/)
    await expect(averageModels([model, averaged, '--weights', '1', '--out', join(work, 'x')])).rejects.toThrow(/--weights needs 2 non-negative numbers/)
    const otherInput = join(work, 'other-input')
    copyModel(otherInput, 1)
    const otherCard = JSON.parse(readFileSync(join(otherInput, 'model-card.json'), 'utf8')) as { input: { spacingMm: number } }
    otherCard.input.spacingMm += 1
    writeFileSync(join(otherInput, 'model-card.json'), JSON.stringify(otherCard))
    await expect(averageModels([model, otherInput, '--out', join(work, 'x')])).rejects.toThrow(/differs from .* in architecture, input or normalisation/)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('compare-evaluations: a model against itself differs by nothing, against the soup by the evaluations\' difference; files of other volumes are refused', { timeout: 120_000 }, async () => {
    const baseline = join(model, 'evaluation-all.json') // the first test's
    const soupJson = join(work, 'averaged-evaluation.json')
    const soup = await evaluate(['--model', join(work, 'averaged'), '--data', data, '--split', 'all', '--backend', 'wasm', '--json', soupJson])
    const { rows: [itself] } = compareEvaluations(['--baseline', baseline, '--candidate', baseline, '--resamples', '200'])
    expect([itself.cases, itself.diceDifference, itself.foundDifference, itself.markedMlDifference]).toEqual([4, ...Array(3).fill({ estimate: 0, low: 0, high: 0 })])
    const { rows: [row], bySize } = compareEvaluations(['--baseline', baseline, '--candidate', soupJson, '--resamples', '200'])
    const first = JSON.parse(readFileSync(baseline, 'utf8')) as { perVolume: { meanDice: number; scored: number }; lesionDetection: { detected: number } }
    expect(row.scored).toBe(first.perVolume.scored)
    expect(row.baselineDice).toBeCloseTo(first.perVolume.meanDice, 10)
    expect(row.candidateDice).toBeCloseTo(soup.perVolume.meanDice!, 10)
    expect(row.foundDifference.estimate).toBe(soup.lesionDetection.detected - first.lesionDetection.detected)
    expect(row.candidateMl).toBeCloseTo(soup.cases.reduce((sum, c) => sum + c.predictedMl, 0), 6)
    expect(row.referenceMl).toBeCloseTo(soup.cases.reduce((sum, c) => sum + c.referenceMl, 0), 6)
    expect(bySize!.candidate.reduce((sum, band) => sum + band.found, 0)).toBe(soup.lesionDetection.detected)
    expect(bySize!.baseline.map((band) => band.lesions)).toEqual(soup.bySize.map((band) => band.lesions))
    const diceInterval = row.diceDifference!
    expect(diceInterval.low).toBeLessThanOrEqual(diceInterval.estimate)
    expect(diceInterval.high).toBeGreaterThanOrEqual(diceInterval.estimate)

    const other = join(work, 'other-volumes.json')
    const written = JSON.parse(readFileSync(soupJson, 'utf8')) as { dataDigest: string; cases: unknown[] }
    writeFileSync(other, JSON.stringify({ ...written, dataDigest: 'another' }))
    expect(() => compareEvaluations(['--baseline', baseline, '--candidate', other])).toThrow(/scored different volumes \(data digests/)
    writeFileSync(other, JSON.stringify({ ...written, cases: (written.cases as Array<Record<string, unknown>>).map(({ referenceLesions: _, ...c }) => c) })) // written before lesion sizes were recorded
    expect(compareEvaluations(['--baseline', baseline, '--candidate', other, '--resamples', '200']).bySize).toBeNull()
    writeFileSync(other, JSON.stringify({ ...written, cases: written.cases.slice(1) }))
    expect(() => compareEvaluations(['--baseline', baseline, '--candidate', other])).toThrow(/scored different splits/)
    expect(() => compareEvaluations(['--baseline', `${baseline},${baseline}`, '--candidate', baseline])).toThrow(/--baseline names 2 files and --candidate 1/)
  })

  it.skipIf(skipWithoutRealData)(`segment: a real scan gets a mask on its own grid, volume = voxels x voxel volume${realDataAvailable ? '' : ` (${REAL_DATA_MISSING})`}`, { timeout: 120_000 }, async () => {
    const out = join(work, 'segmented')
    const flair = realFile('lesion/niivue_flair/FLAIR.nii.gz')
    const before = tf.memory().numTensors
    const [result] = await segmentScans([flair, '--out', out, '--model', model, '--backend', 'wasm', '--reference', realFile('lesion/niivue_flair/lesion.nii.gz')])
    expect(tf.memory().numTensors).toBe(before)
    const source = readNifti(new Uint8Array(readFileSync(flair)), 'FLAIR').volume
    const mask = readNifti(new Uint8Array(readFileSync(join(out, 'FLAIR_lesion.nii.gz'))), 'mask').volume
    expect(mask.dims).toEqual(source.dims)
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expect(mask.affine[r][c]).toBeCloseTo(source.affine[r][c], 4)
    expect(result.volumeMl).toBeCloseTo((countNonZero(mask.data) * voxelVolumeMm3(source.spacing)) / 1000, 6)
    const expert = readNifti(new Uint8Array(readFileSync(realFile('lesion/niivue_flair/lesion.nii.gz'))), 'lesion').volume
    expect(result.dice).toBe(volumeScores(mask.data, expert.data).dice)
  })

  it.skipIf(skipWithoutRealData)('segment: a result that cannot be right is printed as a warning; with --strict the command fails', { timeout: 120_000 }, async () => {
    // The trained model with its mask head's bias at +50: every slice with head in it is all lesion, air included.
    const marksAll = join(work, 'marks-all')
    mkdirSync(marksAll)
    for (const f of readdirSync(model).filter((f) => /\.(json|bin)$/.test(f))) copyFileSync(join(model, f), join(marksAll, f))
    const manifest = JSON.parse(readFileSync(join(marksAll, 'model.json'), 'utf8')) as { weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; dtype: string }> }> }
    const [group] = manifest.weightsManifest
    expect(group.weights.at(-1)!.name).toBe('mask_head/bias')
    expect(group.weights.every((w) => w.dtype === 'float32')).toBe(true)
    const shard = join(marksAll, group.paths.at(-1)!)
    const bytes = readFileSync(shard)
    bytes.writeFloatLE(50, bytes.length - 4)
    writeFileSync(shard, bytes)

    const t2 = realFile('lesion/clinical_t2/T2.nii')
    const warned: string[] = []
    const warn = console.warn
    console.warn = (line: string) => warned.push(line)
    try {
      const [result] = await segmentScans([t2, '--out', join(work, 'marks-all-out'), '--model', marksAll, '--backend', 'wasm'])
      expect(result.warnings[0]).toMatch(/^the mask \(\d+ mL\) is \d+ % of the head \(\d+ mL\): no stroke is that large$/)
      expect(warned.join('\n')).toMatch(/^WARNING .*T2\.nii: This result cannot be right: /)
      await expect(segmentScans([t2, '--out', join(work, 'marks-all-out'), '--model', marksAll, '--backend', 'wasm', '--strict'])).rejects.toThrow(/--strict: 1 of 1 results cannot be right/)
    } finally {
      console.warn = warn
    }
  })

  it.skipIf(skipWithoutRealData)("segment without --model: a T2 scan gets the T2 model by its file name or --contrast, an unnamed one the general model", { timeout: 120_000 }, async () => {
    const bundled = join(work, 'bundled')
    for (const id of ['mr', 'mr-t2']) {
      mkdirSync(join(bundled, id), { recursive: true })
      for (const f of readdirSync(model).filter((f) => /\.(json|bin)$/.test(f))) copyFileSync(join(model, f), join(bundled, id, f))
    }
    const unnamed = join(work, 'scan.nii')
    copyFileSync(realFile('lesion/clinical_t2/T2.nii'), unnamed)
    const modelFor = async (scan: string, ...options: string[]) => (await segmentScans([scan, '--out', join(work, 'picked'), '--models', bundled, '--backend', 'wasm', ...options]))[0].model
    expect(await modelFor(realFile('lesion/clinical_t2/T2.nii'))).toBe(join(bundled, 'mr-t2'))
    expect(await modelFor(unnamed)).toBe(join(bundled, 'mr'))
    expect(await modelFor(unnamed, '--contrast', 't2')).toBe(join(bundled, 'mr-t2'))
    await expect(modelFor(unnamed, '--contrast', 'pd')).rejects.toThrow(/--contrast/)
  })

  it('segment: a folder argument does every NIfTI in it; bad arguments get clear errors', { timeout: 120_000 }, async () => {
    const folder = join(work, 'scans')
    mkdirSync(folder)
    for (const f of readdirSync(join(data, 'images')).slice(0, 2)) copyFileSync(join(data, 'images', f), join(folder, f))
    const results = await segmentScans([folder, '--out', join(work, 'segmented-folder'), '--model', model, '--backend', 'wasm'])
    expect(results.map((r) => r.output.split('/').at(-1))).toEqual(readdirSync(folder).sort().map((f) => f.replace(/\.nii\.gz$/, '_lesion.nii.gz')))
    await expect(segmentScans([join(work, 'missing.nii.gz'), '--out', join(work, 'x')])).rejects.toThrow(/not found/)
    await expect(segmentScans([join(work, 'segmented-folder'), folder, '--out', join(work, 'x'), '--reference', 'r.nii'])).rejects.toThrow(/exactly one scan/)
    await expect(segmentScans(['--out', join(work, 'x')])).rejects.toThrow(/at least one scan/)
  })
})
