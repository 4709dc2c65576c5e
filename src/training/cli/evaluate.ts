/**
 * npm run evaluate -- --model MODEL_DIR --data DIR [--split test]: scores an exported model on a dataset
 * split through the app's pipeline; prints a table (and, for make-data's synthetic MR, the scores per contrast)
 * and writes evaluation-<split>.json into the model folder (or --json PATH).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { selectBackend } from '../backend/selectBackend'
import { contrastsById, datasetDigest, findDataset, loadCase, readDatasetInfo, splitOf, type DatasetInfo, type SplitName } from '../data/datasetLayout'
import { aggregateScores } from '../../model/metrics/segmentationMetrics'
import { disposeSegmentationModel } from '../../pipeline/loadSegmentationModel'
import { detectionBySize, formatDetectionBySize, type SizeBandDetection } from '../loop/detectionBySize'
import { evaluateCases, type Evaluation } from '../loop/evaluateCases'
import { loadModelFolder, readModelCard, roundScore, writeModelCard } from './modelFolder'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'

const OPTIONS = {
  model: { type: 'string', required: true, help: 'model folder with model.json and model-card.json' },
  data: { type: 'string', required: true, help: 'dataset folder' },
  split: { type: 'string', choices: ['train', 'validation', 'test', 'all'], default: 'test', help: 'which cases' },
  seed: { type: 'integer', default: 1, help: 'split seed when the dataset has no split.json' },
  backend: { type: 'string', choices: ['auto', 'wasm', 'webgpu', 'cpu'], default: 'auto', help: 'tfjs backend' },
  json: { type: 'string', help: 'where to write the JSON (default MODEL_DIR/evaluation-<split>.json)' },
  card: { type: 'boolean', help: "write the scores into the model's model-card.json as its test scores (metrics.test, with the dataset named)" },
  unnamed: { type: 'boolean', help: "tell a model with contrast channels no scan's contrast, as for scans whose files name none (default: the contrast make-data drew, or the image file's name gives)" },
} as const satisfies OptionTable

/** One contrast's share of an evaluation: mean per-volume Dice, lesions found (in all, and by size), false-positive lesions per volume. */
export interface ContrastScores {
  readonly contrast: string
  readonly cases: number
  readonly dice: number | null
  readonly lesions: number
  readonly detected: number
  readonly bySize: SizeBandDetection[]
  readonly falsePositiveLesionsPerVolume: number
}

export async function evaluate(argv: string[]): Promise<Evaluation & { bySize: SizeBandDetection[]; byContrast: ContrastScores[] }> {
  const o = parseOptions(argv, OPTIONS)
  const modelDir = o.model
  const backend = await selectBackend(o.backend)
  const dataset = findDataset(o.data)
  const split = splitOf(dataset, o.seed)
  const ids = o.split === 'all' ? dataset.cases.map((c) => c.id) : split[o.split as SplitName]
  if (ids.length === 0) throw new UsageError(`the ${o.split} split of ${dataset.dir} is empty`)
  const segmentation = await loadModelFolder(modelDir)
  const byId = new Map(dataset.cases.map((c) => [c.id, c]))
  const cases = ids.map((id) => loadCase({ ...byId.get(id)!, ...(o.unnamed ? { contrast: null } : {}) }))
  const digest = await datasetDigest(cases)
  const evaluation = await evaluateCases(cases, segmentation).finally(() => disposeSegmentationModel(segmentation))
  backend.assertHealthy()
  const info = readDatasetInfo(dataset.dir)
  const bySize = detectionBySize(evaluation.cases)
  const byContrast = scoresByContrast(evaluation, info)
  console.log(formatEvaluation(evaluation))
  console.log(`lesions found by size: ${formatDetectionBySize(bySize)}`)
  console.log(`data digest ${digest} (${cases.length} cases: the same digest, the same volumes and masks)`)
  for (const c of byContrast) console.log(`${c.contrast}: mean Dice ${c.dice === null ? '-' : c.dice.toFixed(3)} over ${c.cases} cases, ${c.detected}/${c.lesions} lesions found (${formatDetectionBySize(c.bySize)}), ${c.falsePositiveLesionsPerVolume.toFixed(1)} false-positive lesions per volume`)
  const jsonPath = o.json ?? join(modelDir, `evaluation-${o.split}.json`)
  writeFileSync(jsonPath, JSON.stringify({ model: modelDir, data: dataset.dir, dataDigest: digest, split: o.split, ...evaluation, bySize, byContrast }, null, 1) + '\n')
  console.log(`wrote ${jsonPath}`)
  if (o.card) writeTestScores(modelDir, { dir: dataset.dir, digest }, info, o.split, evaluation, bySize, byContrast)
  return { ...evaluation, bySize, byContrast }
}

/** The evaluation's cases grouped by the contrast their dataset records, in order of first appearance; [] without one. */
function scoresByContrast(e: Evaluation, info: DatasetInfo): ContrastScores[] {
  const contrastOf = contrastsById(info)
  const groups = new Map<string, Array<Evaluation['cases'][number]>>()
  for (const c of e.cases) {
    const contrast = contrastOf.get(c.id)
    if (contrast !== undefined) groups.set(contrast, [...(groups.get(contrast) ?? []), c])
  }
  return [...groups].map(([contrast, cases]) => ({
    contrast,
    cases: cases.length,
    dice: aggregateScores(cases).meanDice,
    lesions: cases.reduce((sum, c) => sum + c.lesions, 0),
    detected: cases.reduce((sum, c) => sum + c.lesionsDetected, 0),
    bySize: detectionBySize(cases),
    falsePositiveLesionsPerVolume: cases.reduce((sum, c) => sum + c.falsePositiveLesions, 0) / cases.length,
  }))
}

/** The evaluation as the card's test scores, naming the dataset (kind, mask role, seed from its dataset.json; its digest). */
function writeTestScores(modelDir: string, data: { dir: string; digest: string }, info: DatasetInfo, split: string, e: Evaluation, bySize: SizeBandDetection[], byContrast: ContrastScores[]): void {
  const card = readModelCard(modelDir)
  const round = (v: number | null) => (v === null ? 0 : roundScore(v))
  const metrics = {
    ...card.metrics,
    test: { dice: round(e.perVolume.meanDice), iou: round(e.perVolume.meanIou), cases: e.perVolume.scored, bothEmpty: e.perVolume.bothEmpty },
    testLesionDetection: e.lesionDetection,
    testDetectionBySize: bySize,
    testByContrast: byContrast.map((c) => ({ ...c, dice: c.dice === null ? null : round(c.dice) })),
    testData: { dir: data.dir, digest: data.digest, split, kind: info.kind ?? null, description: info.description ?? null, maskRole: info.maskRole ?? null, seed: info.seed ?? null },
  }
  writeModelCard(modelDir, { ...card, metrics })
}

export function formatEvaluation(e: Evaluation): string {
  const f = (v: number | null) => (v === null ? '-' : v.toFixed(3))
  const rows = e.cases.map((c) => `| ${c.id} | ${f(c.dice)} | ${f(c.iou)} | ${c.tp} | ${c.fp} | ${c.fn} | ${c.lesionsDetected}/${c.lesions} | ${c.referenceMl.toFixed(1)} | ${c.predictedMl.toFixed(1)} |`)
  return [
    '| case | Dice | IoU | TP | FP | FN | lesions found | reference mL | predicted mL |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `per volume: mean Dice ${f(e.perVolume.meanDice)}, mean IoU ${f(e.perVolume.meanIou)} over ${e.perVolume.scored} cases (${e.perVolume.bothEmpty} with both masks empty, left out)`,
    `per slice: mean Dice ${f(e.perSlice.meanDice)}, mean IoU ${f(e.perSlice.meanIou)} over ${e.perSlice.scored} slices with lesion or prediction (${e.perSlice.bothEmpty} empty slices left out)`,
    `lesion-wise detection: ${e.lesionDetection.detected} of ${e.lesionDetection.lesions} reference lesions touched by the prediction`,
  ].join('\n')
}

if (process.argv[1]?.endsWith('evaluate.ts')) {
  runCli(helpText('evaluate', 'Scores an exported model on a dataset split (Dice, IoU, TP/FP/FN, lesion detection).', OPTIONS), async (argv) => {
    await evaluate(argv)
  })
}
