/**
 * The segmentation worker: loads a model (bundled URL or dropped files) with its card, warms it up (for the
 * opened scan too: `compileRunPrograms`), and runs segmentVolume on scans, posting progress; the main thread
 * stays free for the viewer. One run at a time; a cancel stops a run before its next batch.
 */
import * as tf from '@tensorflow/tfjs'
import { loadSegmentationModel, type SegmentationModel } from '../inference/loadSegmentationModel'
import { compileRunPrograms } from '../inference/compileRunPrograms'
import { checkResult } from '../inference/resultCheck'
import { segmentVolume, type SegmentProgress } from '../inference/segmentVolume'
import { warmUpScan } from '../inference/warmUpScan'
import { FIRST_BATCH, gpuFailure, segmentInBatches } from './batchRetry'
import { destroyGpuDevice, reportedGpuTrouble, startBackend, startNextBackend } from './browserBackend'
import type { ModelSource, SegmentationRequest, SegmentationResponse, BackendName } from './protocol'

const post = (message: SegmentationResponse, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer)

let loaded: { key: string; backend: string; model: SegmentationModel } | null = null
/** A controller per segment request from its arrival (queued or running) until it ends. */
const running = new Map<number, AbortController>()

async function readCard(source: ModelSource): Promise<unknown> {
  if (source.kind === 'files') return JSON.parse(await source.card.text())
  const response = await fetch(source.cardUrl)
  if (!response.ok) throw new Error(`the model card ${source.cardUrl} could not be fetched (HTTP ${response.status})`)
  return response.json()
}

/** The model for `key` on the current backend, loaded once and warmed up (shader compilation, weight upload), with the pipeline around it. */
async function modelFor(key: string, source: ModelSource, backend: BackendName | null) {
  const info = await startBackend(backend)
  if (loaded?.key === key && loaded.backend === info.name) return { info, model: loaded.model }
  loaded?.model.model.dispose()
  loaded = null
  const handler = source.kind === 'url' ? source.modelUrl : tf.io.browserFiles([source.modelJson, ...source.weights])
  const model = await loadSegmentationModel(handler, await readCard(source))
  const size = model.card.input.trainingSize
  const warmUp = tf.tidy(() => model.model.predict(tf.zeros([1, size, size, 1])) as tf.Tensor) // [1, size, size, 1]
  await warmUp.data() // never dataSync: WebGPU's synchronous read breaks later asynchronous ones in Chromium
  warmUp.dispose()
  await segmentVolume(warmUpScan(model.card), model.model, model.card) // the pipeline's own programs
  loaded = { key, backend: info.name, model }
  return { info, model }
}

async function handle(request: SegmentationRequest): Promise<void> {
  if (request.type === 'cancel') return running.get(request.target)?.abort()
  if (request.type === 'destroy-gpu-device') return post({ type: 'gpu-device-destroyed', id: request.id, destroyed: destroyGpuDevice() })
  if (request.type === 'prepare') {
    const { info, model } = await modelFor(request.modelKey, request.model, request.backend)
    // Compiling ahead only saves the first run time: if it fails, the run compiles what it needs (and reports a real failure).
    if (request.scan) await compileRunPrograms(request.scan, model.model, model.card, FIRST_BATCH).catch((e: Error) => console.warn(`compiling ahead for the scan failed: ${e.message}`))
    return post({ type: 'prepared', id: request.id, backend: info, card: model.card })
  }
  try {
    const controller = running.get(request.id)!
    const started = performance.now()
    const notices: string[] = []
    const run = async (backend: BackendName | null) => {
      const { info, model } = await modelFor(request.modelKey, request.model, backend)
      const onProgress = ({ slicesDone, slicesTotal }: SegmentProgress) => post({ type: 'progress', id: request.id, slicesDone, slicesTotal })
      // After a limit failure the scan is sliced from main memory too, so that only batches take GPU memory.
      const segment = (batchSize: number) =>
        segmentVolume(request.volume, model.model, model.card, { signal: controller.signal, onProgress, batchSize, scanOnBackend: batchSize === FIRST_BATCH ? undefined : false })
      const result = await segmentInBatches(segment, {
        backend: info.name,
        dims: request.volume.dims,
        signal: controller.signal,
        reportedTrouble: reportedGpuTrouble,
        notices,
      })
      return { info, model, result }
    }
    let outcome: Awaited<ReturnType<typeof run>>
    try {
      outcome = await run(request.backend)
    } catch (e) {
      // A GPU that failed mid-run (device lost, out of memory): once more on the next backend.
      const trouble = controller.signal.aborted ? null : gpuFailure(e as Error, reportedGpuTrouble())
      if (!trouble) throw e
      const next = await startNextBackend(trouble)
      notices.push(`${trouble} on ${loaded?.backend ?? 'the GPU'}; segmented again on ${next.name}`)
      outcome = await run(request.backend) // the same request now starts `next`, with the broken backend among its fallbacks
    }
    const { info, model, result } = outcome
    post(
      {
        type: 'segmented',
        id: request.id,
        mask: result.mask,
        backend: info,
        card: model.card,
        slicesRun: result.slicesRun,
        seconds: (performance.now() - started) / 1000,
        tensorsAfter: tf.memory().numTensors,
        notices,
        check: checkResult(request.volume, result.mask, model.card.normalization),
      },
      [result.mask.data.buffer as ArrayBuffer],
    )
  } catch (e) {
    // Only the user's cancel is a cancellation: a lost GPU also rejects its reads with an AbortError.
    if (running.get(request.id)?.signal.aborted) throw new DOMException('segmentation cancelled', 'AbortError')
    if ((e as Error).name === 'AbortError') throw new Error(`the ${loaded?.backend ?? 'tfjs'} backend stopped: ${(e as Error).message}`, { cause: e })
    throw e
  } finally {
    running.delete(request.id)
  }
}

/** Loads and runs one after another (a model must not load twice); cancels act at once. */
let queue: Promise<void> = Promise.resolve()

self.onmessage = (event: MessageEvent<SegmentationRequest>) => {
  const request = event.data
  const run = () =>
    handle(request).catch((e: unknown) => {
      const error = e as Error
      if (error.name === 'AbortError') post({ type: 'cancelled', id: request.id })
      else post({ type: 'failed', id: request.id, message: error.message })
    })
  if (request.type === 'cancel' || request.type === 'destroy-gpu-device') void run()
  else {
    if (request.type === 'segment') running.set(request.id, new AbortController())
    queue = queue.then(run)
  }
}
