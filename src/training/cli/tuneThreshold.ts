/**
 * npm run tune-threshold -- --model MODEL_DIR --data VALIDATION_DIR: chooses the probability threshold of a
 * model, the seed threshold a lesion must reach somewhere (hysteresis; optional) and the smallest lesion it keeps,
 * on (synthetic) validation volumes: each combination of candidates is scored through the app's pipeline (each
 * probability level is segmented once, into one map per volume of the highest level each voxel reaches, then
 * combined and cut at each minimum size; lesions mostly outside the brain dropped when the card asks) on the
 * mean of two scores, as ISLES 2022 ranks on both: the mean per-volume Dice (how well lesions are outlined) and
 * the lesion-wise F1 (2 found / (2 found + missed + false-positive lesions): lesions found against specks marked).
 * The best is written into model-card.json (`threshold`, `seedThreshold`, `minLesionMl`) with the whole comparison
 * (`training.thresholdSelection`). Never run it on the real scans: they are for evaluation only.
 */
import * as tf from '@tensorflow/tfjs'
import { disposeSegmentationModel } from '../../pipeline/loadSegmentationModel'
import type { ModelCard } from '../../pipeline/modelCard'
import { planRun } from '../../pipeline/runPlan'
import { brainRegion } from '../../pipeline/segmentScan'
import { selectBackend } from '../backend/selectBackend'
import { findDataset, loadCase } from '../data/datasetLayout'
import { segmentCases, scoreMasks } from '../loop/evaluateCases'
import { keepLesions, type LesionRegion } from '../../volume/connectedComponents'
import { loadModelFolder, roundScore, writeModelCard } from './modelFolder'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'

const OPTIONS = {
  model: { type: 'string', required: true, help: 'model folder with model.json and model-card.json' },
  data: { type: 'string', required: true, help: 'validation datasets, comma-separated (all their cases; synthetic, never the real scans); lesion-free cases count Dice 0 when anything is marked on them' },
  thresholds: { type: 'list', default: [0.1, 0.2, 0.3, 0.4, 0.5], help: 'candidates' },
  'seed-thresholds': { type: 'list', default: [], help: 'candidates for the probability a lesion must reach somewhere to be kept (hysteresis; each above the threshold it is tried with); none: every lesion is kept' },
  'min-lesion-ml': { type: 'list', default: [0], help: 'candidates for the smallest predicted lesion kept (mL; 0 keeps all)' },
  backend: { type: 'string', choices: ['auto', 'wasm', 'webgpu', 'cpu'], default: 'auto', help: 'tfjs backend' },
} as const satisfies OptionTable

export interface ThresholdSelection {
  readonly data: string
  readonly candidates: ReadonlyArray<{
    readonly threshold: number
    /** Null: no hysteresis. */
    readonly seedThreshold: number | null
    readonly minLesionMl: number
    readonly meanDice: number
    readonly lesionsDetected: number
    readonly lesions: number
    readonly falsePositiveLesions: number
    readonly lesionF1: number
    /** Volumes in the mean Dice: those with a lesion, and lesion-free ones with anything marked (to pool runs over parts of a mix). */
    readonly scoredVolumes: number
    /** (meanDice + lesionF1) / 2: what is chosen on. */
    readonly score: number
    /** Mean mL marked on the lesion-free cases (null without any). */
    readonly lesionFreeMl: number | null
  }>
  readonly chosen: number
  readonly chosenSeedThreshold: number | null
  readonly chosenMinLesionMl: number
}

export async function tuneThreshold(argv: string[]): Promise<ThresholdSelection> {
  const o = parseOptions(argv, OPTIONS)
  const modelDir = o.model
  const thresholds = o.thresholds
  if (thresholds.length === 0 || thresholds.some((t) => !(t > 0 && t < 1))) throw new UsageError('--thresholds must be numbers between 0 and 1')
  const minSizes = o['min-lesion-ml']
  if (minSizes.length === 0 || minSizes.some((m) => !(m >= 0))) throw new UsageError('--min-lesion-ml must be volumes in mL, 0 or more')
  const seeds = o['seed-thresholds']
  if (seeds.some((s) => !(s > 0 && s < 1))) throw new UsageError('--seed-thresholds must be numbers between 0 and 1')
  await selectBackend(o.backend)
  const { cardJson, ...segmentation } = await loadModelFolder(modelDir)
  const { model, card } = segmentation
  const cases = o.data.split(',').filter(Boolean).flatMap((dir) => findDataset(dir).cases.map(loadCase))
  const candidates: Array<ThresholdSelection['candidates'][number]> = []
  try {
    // Per volume: where lesions may lie (the brain, when the card asks for it), found once.
    const regions: Array<LesionRegion | undefined> = []
    for (const c of cases) regions.push((await brainRegion(c.image, segmentation, planRun(c.image, tf.getBackend()))).region)
    // Per volume: the number of levels (ascending) each voxel reaches; each level segmented once.
    const levels = [...new Set([...thresholds, ...seeds])].sort((a, b) => a - b)
    const levelsReached = cases.map((c) => new Uint8Array(c.image.data.length))
    for (const [k, level] of levels.entries()) {
      const masks = await segmentCases(cases, { model, card: { ...card, threshold: level, seedThreshold: undefined, minLesionMl: 0, brainMask: undefined } })
      for (const [n, mask] of masks.entries()) for (let i = 0; i < mask.length; i++) if (mask[i]) levelsReached[n][i] = k + 1
    }
    for (const threshold of thresholds) {
      for (const seedThreshold of [null, ...seeds.filter((s) => s > threshold)]) {
        for (const minLesionMl of minSizes) {
          const [lesionLevel, seedLevel] = [levels.indexOf(threshold) + 1, seedThreshold === null ? Infinity : levels.indexOf(seedThreshold) + 1]
          const kept = levelsReached.map((reached, n) => {
            const mask = reached.map((l) => (l >= seedLevel ? 2 : l >= lesionLevel ? 1 : 0))
            keepLesions(mask, cases[n].image.dims, cases[n].image.spacing, { seeded: seedThreshold !== null, minMl: minLesionMl, region: regions[n] })
            return mask
          })
          const e = scoreMasks(cases, kept)
          const lesionFree = e.cases.filter((c) => c.referenceMl === 0)
          const lesionFreeMl = lesionFree.length > 0 ? Math.round((lesionFree.reduce((sum, c) => sum + c.predictedMl, 0) / lesionFree.length) * 100) / 100 : null
          const { detected, lesions } = e.lesionDetection
          const falsePositiveLesions = e.cases.reduce((sum, c) => sum + c.falsePositiveLesions, 0)
          const [meanDice, lesionF1] = [e.perVolume.meanDice ?? 0, detected === 0 ? 0 : (2 * detected) / (2 * detected + (lesions - detected) + falsePositiveLesions)]
          candidates.push({ threshold, seedThreshold, minLesionMl, meanDice: roundScore(meanDice), scoredVolumes: e.perVolume.scored, lesionsDetected: detected, lesions, falsePositiveLesions, lesionF1: roundScore(lesionF1), score: roundScore((meanDice + lesionF1) / 2), lesionFreeMl })
          console.log(`threshold ${threshold}${seedThreshold === null ? '' : `, seeds from ${seedThreshold}`}, lesions from ${minLesionMl} mL: score ${((meanDice + lesionF1) / 2).toFixed(3)} (mean Dice ${meanDice.toFixed(3)} over ${e.perVolume.scored} volumes, lesion F1 ${lesionF1.toFixed(3)}: found ${detected}/${lesions}, ${falsePositiveLesions} false-positive lesions)${lesionFreeMl === null ? '' : `, ${lesionFreeMl} mL marked per lesion-free volume`}`)
        }
      }
    }
  } finally {
    disposeSegmentationModel(segmentation)
  }
  // The best score; ties go to the threshold nearest 0.5, then to no seed threshold, then to the smaller minimum size.
  const closer = (a: (typeof candidates)[number], b: (typeof candidates)[number]) =>
    Math.abs(b.threshold - 0.5) - Math.abs(a.threshold - 0.5) || (b.seedThreshold ?? 0) - (a.seedThreshold ?? 0) || b.minLesionMl - a.minLesionMl
  const best = candidates.reduce((a, b) => (b.score > a.score || (b.score === a.score && closer(a, b) < 0) ? b : a))
  const selection: ThresholdSelection = { data: o.data, candidates, chosen: best.threshold, chosenSeedThreshold: best.seedThreshold, chosenMinLesionMl: best.minLesionMl }
  const tuned: ModelCard = { ...cardJson, threshold: best.threshold, seedThreshold: best.seedThreshold ?? undefined, minLesionMl: best.minLesionMl > 0 ? best.minLesionMl : undefined, training: { ...cardJson.training, thresholdSelection: selection } }
  writeModelCard(modelDir, tuned)
  console.log(`threshold ${best.threshold}${best.seedThreshold === null ? '' : `, seeds from ${best.seedThreshold}`}${best.minLesionMl > 0 ? `, lesions from ${best.minLesionMl} mL` : ''} written to ${modelDir}/model-card.json`)
  return selection
}

if (process.argv[1]?.endsWith('tuneThreshold.ts')) {
  runCli(helpText('tune-threshold', 'Chooses a model\'s probability threshold and smallest lesion on synthetic validation volumes and writes them into its card.', OPTIONS), async (argv) => {
    await tuneThreshold(argv)
  })
}
