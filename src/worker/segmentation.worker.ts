/**
 * The segmentation worker: messages in, a Segmenter (segmenter.ts) on the browser's backends, messages out; the
 * main thread stays free for the viewer. The scan arrives once per scan (`hold-scan`); scans, model loads,
 * preparations and runs are taken in the order they came, one after another (a model must not load twice, and a
 * run requested before another scan arrived runs on its own scan); a cancel acts at once and stops a run before its
 * next chunk.
 */
import * as tf from '@tensorflow/tfjs'
import { loadSegmentationModel } from '../pipeline/loadSegmentationModel'
import { BrowserBackends } from './browserBackend'
import type { SegmentationRequest, SegmentationResponse } from './protocol'
import { Segmenter } from './segmenter'

const post = (message: SegmentationResponse, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer)

async function fetchCard(cardUrl: string): Promise<unknown> {
  const response = await fetch(cardUrl)
  if (!response.ok) throw new Error(`the model card ${cardUrl} could not be fetched (HTTP ${response.status})`)
  return response.json()
}

/** A folder named relative to the model at `modelUrl` (its brain model): served beside it. */
const folderBeside = (modelUrl: string) => async (folder: string) => {
  const base = new URL(`${folder}/`, new URL(modelUrl, self.location.href))
  return { source: new URL('model.json', base).href, cardJson: await fetchCard(new URL('model-card.json', base).href) }
}

// A model picked as files comes without the folders beside it: its card's brain model is not loaded (segmentScan says so).
const segmenter = new Segmenter(new BrowserBackends(), async (source) =>
  source.kind === 'url'
    ? loadSegmentationModel(source.modelUrl, await fetchCard(source.cardUrl), folderBeside(source.modelUrl))
    : loadSegmentationModel(tf.io.browserFiles([source.modelJson, ...source.weights]), JSON.parse(await source.card.text())),
)
/** A controller per segment request from its arrival (queued or running) until it ends. */
const running = new Map<number, AbortController>()

async function handle(request: Exclude<SegmentationRequest, { type: 'cancel' }>): Promise<void> {
  if (request.type === 'hold-scan') return segmenter.holdScan(request.scanKey, request.volume)
  if (request.type === 'prepare') {
    const { backend, card } = await segmenter.prepare(request)
    return post({ type: 'prepared', id: request.id, backend, card })
  }
  const signal = running.get(request.id)!.signal
  const started = performance.now()
  try {
    const result = await segmenter.segment(request, signal, ({ slicesDone, slicesTotal }) => post({ type: 'progress', id: request.id, slicesDone, slicesTotal }))
    post({ type: 'segmented', id: request.id, ...result, seconds: (performance.now() - started) / 1000, tensorsAfter: tf.memory().numTensors }, [result.mask.data.buffer as ArrayBuffer])
  } finally {
    running.delete(request.id)
  }
}

let queue: Promise<void> = Promise.resolve()

self.onmessage = (event: MessageEvent<SegmentationRequest>) => {
  const request = event.data
  if (request.type === 'cancel') return running.get(request.target)?.abort()
  if (request.type === 'segment') running.set(request.id, new AbortController())
  queue = queue.then(() =>
    handle(request).catch((e: unknown) => {
      const error = e as Error
      if (error.name === 'AbortError') post({ type: 'cancelled', id: request.id })
      else post({ type: 'failed', id: request.id, message: error.message })
    }),
  )
}
