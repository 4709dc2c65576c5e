/**
 * npm run bench:infer — inference speed of the bundled models in Node, as a markdown table appended to
 * BENCHMARKS.md: per scan and backend, seconds per volume and ms per slice for the whole pipeline
 * (segmentVolume), the same prepared slices through model.predict alone, their ratio (goal <= 1.15), the peak
 * tensor count during a run, and the model's download size. Medians of BENCH_RUNS runs after a warm-up.
 * The browser backends (WebGPU, WebGL, WASM in Chromium) are measured by the end-to-end suite's timings only.
 */
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { bundledModelFor } from '../../inference/bundledModels'
import { loadSegmentationModel } from '../../inference/loadSegmentationModel'
import { modelInput, prepareScan, segmentVolume } from '../../inference/segmentVolume'
import { guessModality } from '../../volume/volume'
import { selectBackend, type BackendChoice } from '../backend/selectBackend'
import { DEFAULT_REAL_DATA_DIR } from '../data/sharedPaths'
import { fileModelHandler } from '../io/modelFiles'
import { readNiftiFile } from '../io/niftiFiles'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const BATCH = 8
const SCANS = ['mri_t1/chris_t1.nii.gz', 'lesion/niivue_flair/FLAIR.nii.gz']

async function medianMs(body: () => Promise<void>): Promise<number> {
  await body() // warm-up (kernels, shaders, weight upload)
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    await body()
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]
}

async function measure(scanPath: string, backend: string): Promise<Record<string, string>> {
  const scan = readNiftiFile(join(DEFAULT_REAL_DATA_DIR, scanPath))
  const modelDir = join('models', bundledModelFor(scan.modality === 'unknown' ? guessModality(scan.data) : scan.modality).id)
  const card = JSON.parse(readFileSync(join(modelDir, 'model-card.json'), 'utf8'))
  const { model, card: parsed } = await loadSegmentationModel(fileModelHandler(join(modelDir, 'model.json')), card)
  const downloadBytes = readdirSync(modelDir).filter((f) => /^(model\.json|model-card\.json|.*\.bin)$/.test(f)).reduce((a, f) => a + statSync(join(modelDir, f)).size, 0)
  let peakTensors = 0
  let slices = 0
  const pipelineMs = await medianMs(async () => {
    const result = await segmentVolume(scan, model, parsed, { batchSize: BATCH, onProgress: () => (peakTensors = Math.max(peakTensors, tf.memory().numTensors)) })
    slices = result.slicesRun
  })
  // model.predict alone on the same prepared slices, batched the same way (inputs made beforehand).
  const prepared = prepareScan(scan, parsed)
  const batches: tf.Tensor4D[] = []
  for (let start = 0; start < prepared.slices.length; start += BATCH) batches.push(modelInput(prepared, prepared.slices.slice(start, start + BATCH)))
  const predictMs = await medianMs(async () => {
    for (const input of batches) {
      const output = model.predict(input) as tf.Tensor
      await output.data()
      output.dispose()
    }
  })
  tf.dispose(batches)
  model.dispose()
  return {
    scan: scanPath,
    model: modelDir,
    backend,
    slices: String(slices),
    's / volume': (pipelineMs / 1000).toFixed(2),
    'ms / slice': (pipelineMs / slices).toFixed(1),
    'predict alone s': (predictMs / 1000).toFixed(2),
    'pipeline / predict': (pipelineMs / predictMs).toFixed(2),
    'peak tensors': String(peakTensors),
    'model download MB': (downloadBytes / 1e6).toFixed(2),
  }
}

async function main(): Promise<void> {
  const choice = (process.argv[2] ?? 'auto') as BackendChoice
  const backend = await selectBackend(choice)
  const rows: Record<string, string>[] = []
  for (const scan of SCANS) rows.push(await measure(scan, backend.description))
  const headers = Object.keys(rows[0])
  const table = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${headers.map((h) => r[h]).join(' | ')} |`)].join('\n')
  const section =
    `\n## bench:infer, ${new Date().toISOString().slice(0, 10)}\n` +
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, tfjs ${tf.version.tfjs}; medians of ${RUNS} runs ` +
    `after a warm-up, batches of ${BATCH} slices.\n\n${table}\n`
  console.log(section)
  appendFileSync('BENCHMARKS.md', section)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
