/**
 * The segmentation worker's state and rules, without messages: the scan it holds (sent once per scan), one model
 * loaded and warmed up at a time (per model and backend), and how a run recovers: smaller batches after a limit
 * failure (batchRetry.ts), then once more on the next backend after the GPU itself failed. The backends and the
 * model loading are handed in, so that the browser worker and the Node tests run the same orchestration.
 */
import * as tf from '@tensorflow/tfjs'
import { compileRunPrograms } from '../pipeline/compileRunPrograms'
import { disposeSegmentationModel, networksOf, type SegmentationModel } from '../pipeline/loadSegmentationModel'
import type { ModelCard } from '../pipeline/modelCard'
import { checkResult, type ResultCheck } from '../pipeline/resultCheck'
import { planRun } from '../pipeline/runPlan'
import type { NamedContrast } from '../pipeline/scanContrast'
import { brainStepNotice, segmentScan } from '../pipeline/segmentScan'
import type { SegmentProgress } from '../pipeline/segmentVolume'
import { warmUpScan } from '../pipeline/warmUpScan'
import type { Volume } from '../volume/volume'
import { FIRST_BATCH, gpuFailure, segmentInBatches } from './batchRetry'
import type { BackendInfo, BackendName, ModelSource } from './protocol'

/** The tfjs backends a segmenter may run on (browserBackend.ts in the page). */
export interface Backends {
  /** Starts `requested`, or the automatic choice for null; idempotent. */
  start(requested: BackendName | null): Promise<BackendInfo>
  /** Marks the running backend broken for `reason` (e.g. its GPU was lost) and starts the next one. */
  startNext(reason: string): Promise<BackendInfo>
  /** What the running GPU reported since it started (device lost, out of memory), or null. */
  reportedTrouble(): string | null
}

/** Which model on which backend: `modelKey` names `model` for the cache (e.g. 'bundled:mr'). */
export interface ModelRequest {
  readonly modelKey: string
  readonly model: ModelSource
  readonly backend: BackendName | null
}

export interface Segmented {
  readonly mask: Volume
  readonly backend: BackendInfo
  readonly card: ModelCard
  readonly slicesRun: number
  /** What went wrong and how the run recovered (a lost GPU, smaller batches), for the user. */
  readonly notices: readonly string[]
  readonly check: ResultCheck
}

export class Segmenter {
  private loaded: { readonly key: string; readonly backend: BackendName; readonly model: SegmentationModel } | null = null
  private scan: { readonly key: string; readonly volume: Volume } | null = null

  constructor(
    private readonly backends: Backends,
    private readonly loadModel: (source: ModelSource) => Promise<SegmentationModel>,
  ) {}

  /** The scan later requests name by `key`; null lets it go. */
  holdScan(key: string | null, volume: Volume | null): void {
    this.scan = key && volume ? { key, volume } : null
  }

  /**
   * Loads and warms up the model, and compiles the GPU programs a run on the held scan will use (compiling ahead
   * only saves time: if it fails, the run compiles what it needs and reports a real failure).
   */
  async prepare(request: ModelRequest): Promise<{ backend: BackendInfo; card: ModelCard }> {
    const { info, model } = await this.modelFor(request)
    if (this.scan) {
      const plan = planRun(this.scan.volume, info.name, { batchSize: FIRST_BATCH })
      for (const { model: network, card } of networksOf(model)) {
        await compileRunPrograms(this.scan.volume, network, card, plan).catch((e: Error) => console.warn(`compiling ahead for the scan failed: ${e.message}`))
      }
    }
    return { backend: info, card: model.card }
  }

  /** Segments the held scan named `scanKey`; `signal` stops it before its next chunk with an AbortError. */
  async segment(request: ModelRequest & { readonly scanKey: string; readonly contrast: NamedContrast | null }, signal: AbortSignal, onProgress: (progress: SegmentProgress) => void): Promise<Segmented> {
    if (this.scan?.key !== request.scanKey) throw new Error(`the scan to segment (${request.scanKey}) is not the one the worker holds (${this.scan?.key ?? 'none'})`)
    const { volume } = this.scan
    const notices: string[] = []
    const run = async () => {
      const { info, model } = await this.modelFor(request)
      const result = await segmentInBatches(
        ({ batchSize, sliceInMemory }) => segmentScan(volume, model, planRun(volume, info.name, { batchSize, scanOnBackend: sliceInMemory ? false : undefined }), { signal, onProgress, contrast: request.contrast }),
        { backend: info.name, dims: volume.dims, signal, reportedTrouble: () => this.backends.reportedTrouble(), notices },
      )
      return { info, model, result }
    }
    let outcome: Awaited<ReturnType<typeof run>>
    try {
      outcome = await run()
    } catch (e) {
      // A GPU that failed mid-run (device lost, out of memory): once more on the next backend.
      const trouble = signal.aborted ? null : gpuFailure(e as Error, this.backends.reportedTrouble())
      if (!trouble) throw this.explained(e as Error, signal)
      const failed = this.loaded?.backend ?? 'the GPU'
      const next = await this.backends.startNext(trouble)
      notices.push(`${trouble} on ${failed}; segmented again on ${next.name}`)
      outcome = await run().catch((again: Error) => Promise.reject(this.explained(again, signal))) // the same request now starts `next`
    }
    const { info, model, result } = outcome
    const brainNotice = brainStepNotice(result.brain)
    if (brainNotice) notices.push(brainNotice)
    return { mask: result.mask, backend: info, card: model.card, slicesRun: result.slicesRun, notices, check: checkResult(volume, result.mask, model.card.normalization) }
  }

  dispose(): void {
    if (this.loaded) disposeSegmentationModel(this.loaded.model)
    this.loaded = null
    this.scan = null
  }

  /** The model of `request` on its backend, loaded once and warmed up (shader compilation, weight upload), with the pipeline around it. */
  private async modelFor(request: ModelRequest): Promise<{ info: BackendInfo; model: SegmentationModel }> {
    const info = await this.backends.start(request.backend)
    if (this.loaded?.key === request.modelKey && this.loaded.backend === info.name) return { info, model: this.loaded.model }
    if (this.loaded) disposeSegmentationModel(this.loaded.model)
    this.loaded = null
    const model = await this.loadModel(request.model)
    try {
      for (const { model: network, card } of networksOf(model)) {
        const size = card.input.trainingSize
        const warmUp = tf.tidy(() => network.predict(tf.zeros([1, size, size, 1])) as tf.Tensor) // [1, size, size, 1]
        await warmUp.data().finally(() => warmUp.dispose()) // never dataSync: WebGPU's synchronous read breaks later asynchronous ones in Chromium
      }
      const warmUpVolume = warmUpScan(model.card)
      await segmentScan(warmUpVolume, model, planRun(warmUpVolume, info.name)) // the pipeline's own programs
    } catch (e) {
      disposeSegmentationModel(model)
      throw e
    }
    this.loaded = { key: request.modelKey, backend: info.name, model }
    return { info, model }
  }

  /** Only the user's cancel is a cancellation: a lost GPU also rejects its reads with an AbortError. */
  private explained(error: Error, signal: AbortSignal): Error {
    if (signal.aborted) return new DOMException('segmentation cancelled', 'AbortError')
    if (error.name === 'AbortError') return new Error(`the ${this.loaded?.backend ?? 'tfjs'} backend stopped: ${error.message}`, { cause: error })
    return error
  }
}
