/**
 * npm run tune-threshold -- --model MODEL_DIR --data VALIDATION_DIR: chooses the probability threshold of a
 * model on (synthetic) validation volumes: each candidate is scored through the app's pipeline (mean
 * per-volume Dice), the best is written into model-card.json (`threshold`) with the whole comparison
 * (`training.thresholdSelection`). Never run it on the real scans: they are for evaluation only.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadSegmentationModel } from '../../pipeline/loadSegmentationModel'
import type { ModelCard } from '../../pipeline/modelCard'
import { selectBackend } from '../backend/selectBackend'
import { findDataset, loadCase } from '../data/datasetLayout'
import { fileModelHandler } from '../io/modelFiles'
import { evaluateCases } from '../loop/evaluateCases'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'

const OPTIONS = {
  model: { type: 'string', required: true, help: 'model folder with model.json and model-card.json' },
  data: { type: 'string', required: true, help: 'validation datasets, comma-separated (all their cases; synthetic, never the real scans); lesion-free cases count Dice 0 when anything is marked on them' },
  thresholds: { type: 'list', default: [0.1, 0.2, 0.3, 0.4, 0.5], help: 'candidates' },
  backend: { type: 'string', choices: ['auto', 'wasm', 'webgpu', 'cpu'], default: 'auto', help: 'tfjs backend' },
} as const satisfies OptionTable

export interface ThresholdSelection {
  readonly data: string
  readonly candidates: ReadonlyArray<{
    readonly threshold: number
    readonly meanDice: number
    readonly lesionsDetected: number
    readonly lesions: number
    /** Mean mL marked on the lesion-free cases (null without any). */
    readonly lesionFreeMl: number | null
  }>
  readonly chosen: number
}

export async function tuneThreshold(argv: string[]): Promise<ThresholdSelection> {
  const o = parseOptions(argv, OPTIONS)
  const modelDir = o.model
  const cardPath = join(modelDir, 'model-card.json')
  if (!existsSync(cardPath)) throw new UsageError(`${cardPath} not found (--model)`)
  const thresholds = o.thresholds
  if (thresholds.length === 0 || thresholds.some((t) => !(t > 0 && t < 1))) throw new UsageError('--thresholds must be numbers between 0 and 1')
  await selectBackend(o.backend)
  const cardJson = JSON.parse(readFileSync(cardPath, 'utf8')) as ModelCard
  const { model, card } = await loadSegmentationModel(fileModelHandler(join(modelDir, 'model.json')), cardJson)
  const cases = o.data.split(',').filter(Boolean).flatMap((dir) => findDataset(dir).cases.map(loadCase))
  const candidates: Array<ThresholdSelection['candidates'][number]> = []
  try {
    for (const threshold of thresholds) {
      const e = await evaluateCases(cases, model, { ...card, threshold })
      const lesionFree = e.cases.filter((c) => c.referenceMl === 0)
      const lesionFreeMl = lesionFree.length > 0 ? Math.round((lesionFree.reduce((sum, c) => sum + c.predictedMl, 0) / lesionFree.length) * 100) / 100 : null
      candidates.push({ threshold, meanDice: Math.round((e.perVolume.meanDice ?? 0) * 1e4) / 1e4, lesionsDetected: e.lesionDetection.detected, lesions: e.lesionDetection.lesions, lesionFreeMl })
      console.log(`threshold ${threshold}: mean Dice ${(e.perVolume.meanDice ?? 0).toFixed(3)}, lesions found ${e.lesionDetection.detected}/${e.lesionDetection.lesions}${lesionFreeMl === null ? '' : `, ${lesionFreeMl} mL marked per lesion-free volume`}`)
    }
  } finally {
    model.dispose()
  }
  // The best mean Dice; ties go to the threshold nearest 0.5.
  const best = candidates.reduce((a, b) => (b.meanDice > a.meanDice || (b.meanDice === a.meanDice && Math.abs(b.threshold - 0.5) < Math.abs(a.threshold - 0.5)) ? b : a))
  const selection: ThresholdSelection = { data: o.data, candidates, chosen: best.threshold }
  writeFileSync(cardPath, JSON.stringify({ ...cardJson, threshold: best.threshold, training: { ...cardJson.training, thresholdSelection: selection } }, null, 1) + '\n')
  console.log(`threshold ${best.threshold} written to ${cardPath}`)
  return selection
}

if (process.argv[1]?.endsWith('tuneThreshold.ts')) {
  runCli(helpText('tune-threshold', 'Chooses a model\'s probability threshold on synthetic validation volumes and writes it into its card.', OPTIONS), async (argv) => {
    await tuneThreshold(argv)
  })
}
