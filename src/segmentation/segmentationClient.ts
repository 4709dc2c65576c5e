/**
 * The main thread's door to the segmentation worker: Promises in, progress callbacks, and a cancel that
 * answers at once (the worker stops before its next batch; a late result is dropped).
 */
import type { ModelCard } from '../inference/modelCard'
import type { Volume } from '../volume/volume'
import type { BackendInfo, BackendName, ModelSource, SegmentationRequest, SegmentationResponse } from './protocol'

export interface ModelChoice {
  /** Identifies the model for the worker's cache, e.g. 'bundled:t1-transplant'. */
  readonly key: string
  readonly source: ModelSource
}

export interface Segmentation {
  readonly mask: Volume
  readonly backend: BackendInfo
  readonly card: ModelCard
  readonly slicesRun: number
  readonly seconds: number
  readonly tensorsAfter: number
}

export interface SegmentationRun {
  readonly result: Promise<Segmentation>
  /** Stops the run; `result` rejects with an AbortError at once. */
  cancel(): void
}

type Pending = { resolve: (r: SegmentationResponse) => void; reject: (e: Error) => void; onProgress?: (done: number, total: number) => void }

/** Distributive Omit, so each member of the request union keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never

export function bundledModel(id: string): ModelChoice {
  const base = `${import.meta.env.BASE_URL}models/${id}/`
  return { key: `bundled:${id}`, source: { kind: 'url', modelUrl: `${base}model.json`, cardUrl: `${base}model-card.json` } }
}

export class SegmentationClient {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()

  /** Loads and warms up the model on the backend, off the critical path; resolves with what runs it. */
  async prepare(model: ModelChoice, backend: BackendName | null): Promise<{ backend: BackendInfo; card: ModelCard }> {
    const response = await this.send({ type: 'prepare', backend, model: model.source, modelKey: model.key }).promise
    if (response.type !== 'prepared') throw new Error(`unexpected segmentation reply ${response.type}`)
    return response
  }

  segment(volume: Volume, model: ModelChoice, backend: BackendName | null, onProgress: (done: number, total: number) => void): SegmentationRun {
    const { id, promise } = this.send({ type: 'segment', backend, model: model.source, modelKey: model.key, volume }, onProgress)
    const result = promise.then((response) => {
      if (response.type !== 'segmented') throw new Error(`unexpected segmentation reply ${response.type}`)
      return response
    })
    return {
      result,
      cancel: () => {
        const pending = this.pending.get(id)
        if (!pending) return
        this.pending.delete(id)
        this.worker?.postMessage({ type: 'cancel', id: this.nextId++, target: id } satisfies SegmentationRequest)
        pending.reject(new DOMException('segmentation cancelled', 'AbortError'))
      },
    }
  }

  dispose(): void {
    this.worker?.terminate()
    this.worker = null
    for (const p of this.pending.values()) p.reject(new Error('the segmentation worker was closed'))
    this.pending.clear()
  }

  private send(message: WithoutId<SegmentationRequest>, onProgress?: Pending['onProgress']): { id: number; promise: Promise<SegmentationResponse> } {
    const worker = this.ensureWorker()
    const id = this.nextId++
    const promise = new Promise<SegmentationResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress })
      worker.postMessage({ ...message, id })
    }).then((response) => {
      if (response.type === 'failed') throw new Error(response.message)
      if (response.type === 'cancelled') throw new DOMException('segmentation cancelled', 'AbortError')
      return response
    })
    return { id, promise }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(new URL('./segmentation.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (event: MessageEvent<SegmentationResponse>) => {
      const message = event.data
      const pending = this.pending.get(message.id)
      if (!pending) return // cancelled: the late answer is dropped
      if (message.type === 'progress') return pending.onProgress?.(message.slicesDone, message.slicesTotal)
      this.pending.delete(message.id)
      pending.resolve(message)
    }
    worker.onerror = (event) => {
      event.preventDefault()
      const error = new Error(`the segmentation worker stopped: ${event.message || 'out of memory or a browser error'}`)
      for (const p of this.pending.values()) p.reject(error)
      this.pending.clear()
      this.worker?.terminate()
      this.worker = null
    }
    this.worker = worker
    return worker
  }
}
