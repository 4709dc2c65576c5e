/**
 * npm run bench:infer — inference speed of the bundled models in Node, as a markdown table appended to
 * BENCHMARKS.md: per scan and backend, seconds per volume and ms per slice for the whole pipeline
 * (segmentVolume), the same prepared slices through model.predict alone, their ratio (goal <= 1.15), the peak
 * tensor count during a run, and the model's download size. Medians of BENCH_RUNS runs after a warm-up.
 * BENCH_PAPER_NETWORK=1 adds rows for the paper's network size (UNet++ [32 .. 512], inference form, untrained
 * weights: timing only) with the bundled card's conventions, for machines with a GPU.
 * BENCH_MODELS=DIR,DIR,... measures those model folders (e.g. the ablation's rows) instead of the bundled ones,
 * rows name each model's parameter count: the inference models of the four ablation rows should match.
 * `npm run bench:infer:browser` measures the same in headless Chromium (WebGPU, WebGL, WASM).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { bundledModelFor } from '../src/pipeline/bundledModels'
import type { ModelCard } from '../src/pipeline/modelCard'
import { toInferenceModel } from '../src/model/inferenceModel'
import { buildMultiTaskModel } from '../src/model/multiTaskModel'
import { DEFAULT_FILTERS } from '../src/model/modelSpec'
import { loadSegmentationModel } from '../src/pipeline/loadSegmentationModel'
import { measureInference } from '../src/pipeline/measureInference'
import { planRun } from '../src/pipeline/runPlan'
import { guessModality } from '../src/volume/volume'
import { selectBackend, type BackendChoice } from '../src/training/backend/selectBackend'
import { DEFAULT_REAL_DATA_DIR } from '../src/training/data/sharedPaths'
import { fileModelHandler } from '../src/training/io/modelFiles'
import { readNiftiFile } from '../src/training/io/niftiFiles'
import { appendBenchSection, inferenceRow, machineName, modelDownloadBytes, type Row } from './benchReport'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const BATCH = 8
/** NIfTI scans only: Node has no DICOM converter (dcm2niix runs in the browser); the CT series is in bench:infer:browser. */
const SCANS = ['mri_t1/chris_t1.nii.gz', 'lesion/niivue_flair/FLAIR.nii.gz']

const PAPER_NETWORK = process.env.BENCH_PAPER_NETWORK === '1'
const MODEL_DIRS = process.env.BENCH_MODELS?.split(',').filter(Boolean) ?? []

/**
 * On a GPU backend the pipeline keeps the scan on the GPU; rows for the scan sliced in main memory instead (the
 * way of WASM and of scans too large for the GPU) show what that saves.
 */
async function measure(scanPath: string, backend: string, paperNetwork: boolean, chosenModelDir?: string): Promise<Row[]> {
  const scan = readNiftiFile(join(DEFAULT_REAL_DATA_DIR, scanPath))
  const modelDir = chosenModelDir ?? join('models', bundledModelFor(scan.modality === 'unknown' ? guessModality(scan.data) : scan.modality).model.id)
  const card = JSON.parse(readFileSync(join(modelDir, 'model-card.json'), 'utf8'))
  const { model, card: parsed } = paperNetwork ? paperSizeModel(card) : await loadSegmentationModel(fileModelHandler(join(modelDir, 'model.json')), card)
  try {
    const name = paperNetwork ? `UNet++ [${DEFAULT_FILTERS.join(', ')}] untrained, ${modelDir} card` : `${modelDir} (${model.countParams().toLocaleString('en')} parameters${parsed.mirrorAveraging ? '; mirror-averaged: two passes per slice' : ''})`
    const downloadBytes = paperNetwork ? model.countParams() * 4 : modelDownloadBytes(modelDir)
    const plan = planRun(scan, tf.getBackend(), { batchSize: BATCH })
    if (!plan.scanOnBackend) return [inferenceRow(scanPath, name, backend, await measureInference(scan, model, parsed, plan, RUNS), downloadBytes)]
    const rows: Row[] = []
    for (const [scanOnBackend, where] of [[true, 'scan kept on the GPU'], [false, 'scan sliced in main memory']] as const) {
      rows.push(inferenceRow(scanPath, name, `${backend} (${where})`, await measureInference(scan, model, parsed, { ...plan, scanOnBackend }, RUNS), downloadBytes))
    }
    return rows
  } finally {
    model.dispose()
  }
}

/** The paper's network size in inference form (batch norms folded), untrained: for timing only. */
function paperSizeModel(card: ModelCard): { model: tf.LayersModel; card: ModelCard } {
  const trained = buildMultiTaskModel({ filters: DEFAULT_FILTERS, aux: 'none' })
  const model = toInferenceModel(trained)
  trained.model.dispose()
  return { model, card }
}

async function main(): Promise<void> {
  const backend = await selectBackend((process.argv[2] ?? 'auto') as BackendChoice)
  const rows: Row[] = []
  const modelDirs = MODEL_DIRS.length > 0 ? MODEL_DIRS : [undefined] // undefined: the bundled model for the scan
  for (const scan of SCANS) for (const dir of modelDirs) rows.push(...(await measure(scan, backend.description, false, dir)))
  if (PAPER_NETWORK) for (const scan of SCANS) rows.push(...(await measure(scan, backend.description, true)))
  backend.assertHealthy()
  appendBenchSection(
    'bench:infer (Node)',
    `Machine: ${machineName()}, Node ${process.version}, tfjs ${tf.version.tfjs}; medians of ${RUNS} runs after a warm-up, batches of ${BATCH} slices.`,
    rows,
  )
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
