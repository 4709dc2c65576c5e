/**
 * npm run evaluate -- --model MODEL_DIR --data DIR [--split test]: scores an exported model on a dataset
 * split through the app's pipeline; prints a table and writes evaluation-<split>.json into the model folder
 * (or --json PATH).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadSegmentationModel } from '../../pipeline/loadSegmentationModel'
import type { ModelCard } from '../../pipeline/modelCard'
import { selectBackend } from '../backend/selectBackend'
import { findDataset, loadCase, splitOf, type SplitName } from '../data/datasetLayout'
import { fileModelHandler } from '../io/modelFiles'
import { evaluateCases, type Evaluation } from '../loop/evaluateCases'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'

const OPTIONS = {
  model: { type: 'string', required: true, help: 'model folder with model.json and model-card.json' },
  data: { type: 'string', required: true, help: 'dataset folder' },
  split: { type: 'string', choices: ['train', 'validation', 'test', 'all'], default: 'test', help: 'which cases' },
  seed: { type: 'integer', default: 1, help: 'split seed when the dataset has no split.json' },
  backend: { type: 'string', choices: ['auto', 'wasm', 'webgpu', 'cpu'], default: 'auto', help: 'tfjs backend' },
  json: { type: 'string', help: 'where to write the JSON (default MODEL_DIR/evaluation-<split>.json)' },
  card: { type: 'boolean', help: "write the scores into the model's model-card.json as its test scores (metrics.test, with the dataset named)" },
} as const satisfies OptionTable

export async function evaluate(argv: string[]): Promise<Evaluation> {
  const o = parseOptions(argv, OPTIONS)
  const modelDir = o.model
  for (const f of ['model.json', 'model-card.json']) if (!existsSync(join(modelDir, f))) throw new UsageError(`${join(modelDir, f)} not found (--model)`)
  const backend = await selectBackend(o.backend)
  const dataset = findDataset(o.data)
  const split = splitOf(dataset, o.seed)
  const ids = o.split === 'all' ? dataset.cases.map((c) => c.id) : split[o.split as SplitName]
  if (ids.length === 0) throw new UsageError(`the ${o.split} split of ${dataset.dir} is empty`)
  const card = JSON.parse(readFileSync(join(modelDir, 'model-card.json'), 'utf8')) as unknown
  const { model, card: parsed } = await loadSegmentationModel(fileModelHandler(join(modelDir, 'model.json')), card)
  const byId = new Map(dataset.cases.map((c) => [c.id, c]))
  const evaluation = await evaluateCases(ids.map((id) => loadCase(byId.get(id)!)), model, parsed)
  model.dispose()
  backend.assertHealthy()
  console.log(formatEvaluation(evaluation))
  const jsonPath = o.json ?? join(modelDir, `evaluation-${o.split}.json`)
  writeFileSync(jsonPath, JSON.stringify({ model: modelDir, data: dataset.dir, split: o.split, ...evaluation }, null, 1) + '\n')
  console.log(`wrote ${jsonPath}`)
  if (o.card) writeTestScores(modelDir, dataset.dir, o.split, evaluation)
  return evaluation
}

/** The evaluation as the card's test scores, naming the dataset (kind, mask role, seed from its dataset.json). */
function writeTestScores(modelDir: string, dataDir: string, split: string, e: Evaluation): void {
  const cardPath = join(modelDir, 'model-card.json')
  const card = JSON.parse(readFileSync(cardPath, 'utf8')) as ModelCard
  const info = existsSync(join(dataDir, 'dataset.json')) ? (JSON.parse(readFileSync(join(dataDir, 'dataset.json'), 'utf8')) as Record<string, unknown>) : {}
  const round = (v: number | null) => (v === null ? 0 : Math.round(v * 1e4) / 1e4)
  const metrics = {
    ...card.metrics,
    test: { dice: round(e.perVolume.meanDice), iou: round(e.perVolume.meanIou), cases: e.perVolume.scored, bothEmpty: e.perVolume.bothEmpty },
    testLesionDetection: e.lesionDetection,
    testData: { dir: dataDir, split, kind: info.kind ?? null, description: info.description ?? null, maskRole: info.maskRole ?? null, seed: info.seed ?? null },
  }
  writeFileSync(cardPath, JSON.stringify({ ...card, metrics }, null, 1) + '\n')
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
