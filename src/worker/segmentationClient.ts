/**
 * The main thread's door to the segmentation worker: Promises in, progress callbacks, and a cancel that
 * answers at once (the worker stops before its next batch; a late result is dropped). Each scan is copied to the
 * worker once (and again to a worker restarted after a crash), however often it is prepared for and segmented.
 */
import type { ModelCard } from '../pipeline/modelCard'
import type { NamedContrast } from '../pipeline/scanContrast'
import { WorkerChannel, type WithoutId } from './workerChannel'
import type { Volume } from '../volume/volume'
import type { BackendInfo, BackendName, ModelSource, SegmentationRequest, SegmentationResponse } from './protocol'

export interface ModelChoice {
  /** Identifies the model for the worker's cache, e.g. 'bundled:mr'. */
  readonly key: string
  readonly source: ModelSource
}

/** What a finished run returns: the mask on the scan's grid, what ran it, and how long it took. */
export type Segmentation = Omit<Extract<SegmentationResponse, { type: 'segmented' }>, 'type' | 'id'>

export interface SegmentationRun {
  readonly result: Promise<Segmentation>
  /** Stops the run; `result` rejects with an AbortError at once. */
  cancel(): void
}

export function bundledModel(id: string): ModelChoice {
  const base = `${import.meta.env.BASE_URL}models/${id}/`
  return { key: `bundled:${id}`, source: { kind: 'url', modelUrl: `${base}model.json`, cardUrl: `${base}model-card.json` } }
}

/**
 * A model the user picked or dropped: model.json, its weight files (.bin) and model-card.json, all at once.
 * Throws a message that says which file is missing.
 */
export function modelFromFiles(files: readonly File[]): ModelChoice {
  const card = files.find((f) => f.name === 'model-card.json')
  const modelJson = files.find((f) => f.name.endsWith('.json') && f !== card)
  const weights = files.filter((f) => f.name.endsWith('.bin'))
  const missing = [!modelJson && 'model.json', weights.length === 0 && 'its weight files (.bin)', !card && 'model-card.json'].filter(Boolean)
  if (missing.length > 0) throw new Error(`choose model.json, its weight files and model-card.json together; missing: ${missing.join(', ')}`)
  const key = `files:${files.map((f) => `${f.name}:${f.size}:${f.lastModified}`).join('|')}`
  return { key, source: { kind: 'files', modelJson: modelJson!, weights, card: card! } }
}

const cancelled = () => new DOMException('segmentation cancelled', 'AbortError')

export class SegmentationClient {
  private readonly channel = new WorkerChannel<SegmentationRequest, SegmentationResponse>(
    () => new Worker(new URL('./segmentation.worker.ts', import.meta.url), { type: 'module' }),
    'segmentation worker',
    (response) => response.type === 'progress',
  )

  /** The scan the worker holds, and the key requests name it by. */
  private held: { readonly volume: Volume | null; readonly key: string | null } = { volume: null, key: null }
  private scansSent = 0

  /**
   * Loads and warms up the model on the backend, and compiles the GPU programs a run on `scan` will use, off the
   * critical path; resolves with what runs it.
   */
  async prepare(model: ModelChoice, backend: BackendName | null, scan: Volume | null): Promise<{ backend: BackendInfo; card: ModelCard }> {
    this.hold(scan)
    const response = await this.send({ type: 'prepare', backend, model: model.source, modelKey: model.key }).reply
    if (response.type !== 'prepared') throw new Error(`unexpected segmentation reply ${response.type}`)
    return response
  }

  /** `contrast`: the scan's MR contrast as its files name it (null: not named). */
  segment(volume: Volume, contrast: NamedContrast | null, model: ModelChoice, backend: BackendName | null, onProgress: (done: number, total: number) => void): SegmentationRun {
    const scanKey = this.hold(volume)!
    const { id, reply } = this.send({ type: 'segment', backend, model: model.source, modelKey: model.key, scanKey, contrast }, (response) => {
      if (response.type === 'progress') onProgress(response.slicesDone, response.slicesTotal)
    })
    const result = reply.then((response) => {
      if (response.type !== 'segmented') throw new Error(`unexpected segmentation reply ${response.type}`)
      return response
    })
    return {
      result,
      cancel: () => {
        if (this.channel.abandon(id, cancelled())) this.channel.notify({ type: 'cancel', target: id })
      },
    }
  }

  /** Sends `scan` to the worker unless it holds it already; returns its key. */
  private hold(scan: Volume | null): string | null {
    if (this.held.volume !== scan) {
      this.held = { volume: scan, key: scan ? `scan-${++this.scansSent}` : null }
      this.channel.standing({ type: 'hold-scan', scanKey: this.held.key, volume: scan })
    }
    return this.held.key
  }

  dispose(): void {
    this.channel.dispose()
  }

  private send(message: WithoutId<SegmentationRequest>, onInterim?: (response: SegmentationResponse) => void) {
    const { id, reply } = this.channel.request(message, [], onInterim)
    return {
      id,
      reply: reply.then((response) => {
        if (response.type === 'failed') throw new Error(response.message)
        if (response.type === 'cancelled') throw cancelled()
        return response
      }),
    }
  }
}
