/**
 * The page `npm run bench:infer:browser` drives (dev server only, never in the build): opens a scan as the
 * app does (NIfTI or a DICOM series through dcm2niix), starts one tfjs backend as the worker does, loads the
 * bundled model for the scan's modality and times it with the same `measureInference` as the Node benchmark.
 */
import * as tf from '@tensorflow/tfjs'
import { bundledModelFor } from '../../src/pipeline/bundledModels'
import { loadSegmentationModel } from '../../src/pipeline/loadSegmentationModel'
import { measureInference, type InferenceTiming } from '../../src/pipeline/measureInference'
import { planRun } from '../../src/pipeline/runPlan'
import { openScanFiles } from '../../src/io/openScanFiles'
import { ScanParserClient } from '../../src/io/parser/scanParserClient'
import { guessModality } from '../../src/volume/volume'
import { BrowserBackends } from '../../src/worker/browserBackend'
import type { BackendName } from '../../src/worker/protocol'

export interface InferBenchRequest {
  readonly backend: BackendName
  /** URLs of the scan's files (one NIfTI, or every file of a DICOM series). */
  readonly files: readonly string[]
  readonly runs: number
  readonly batchSize: number
}

export interface InferBenchResult {
  readonly backend: string
  readonly model: string
  readonly timing: InferenceTiming
}

async function runInferBench({ backend, files, runs, batchSize }: InferBenchRequest): Promise<InferBenchResult> {
  const info = await new BrowserBackends().start(backend)
  const dropped = await Promise.all(
    files.map(async (url) => {
      const response = await fetch(url)
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
      return { file: new File([await response.blob()], url.split('/').at(-1)!), path: '' }
    }),
  )
  const parser = new ScanParserClient()
  const opened = await openScanFiles(dropped, parser).finally(() => parser.dispose())
  const scan = opened.candidates[0]?.volume
  if (!scan) throw new Error(`no scan in ${files.join(', ')}: ${opened.problems.map((p) => `${p.name}: ${p.reason}`).join('; ')}`)
  const bundled = bundledModelFor(scan.modality === 'unknown' ? guessModality(scan.data) : scan.modality).model
  const cardResponse = await fetch(`/models/${bundled.id}/model-card.json`)
  const { model, card } = await loadSegmentationModel(`/models/${bundled.id}/model.json`, await cardResponse.json())
  try {
    const timing = await measureInference(scan, model, card, planRun(scan, info.name, { batchSize }), runs)
    return { backend: `${info.name} (${info.detail})`, model: `models/${bundled.id}`, timing }
  } finally {
    model.dispose()
  }
}

declare global {
  interface Window {
    runInferBench?: typeof runInferBench
    tfjsVersion?: string
  }
}

window.runInferBench = runInferBench
window.tfjsVersion = tf.version.tfjs
