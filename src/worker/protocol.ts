/**
 * Messages between the main thread and the segmentation worker (a discriminated union on `type`).
 * The scan's voxels are copied into the worker once per scan (`hold-scan`; the viewer keeps its own); the mask's
 * are transferred back.
 */
import type { ModelCard } from '../pipeline/modelCard'
import type { NamedContrast } from '../pipeline/scanContrast'
import type { Volume } from '../volume/volume'
import type { Segmented } from './segmenter'

export type BackendName = 'webgpu' | 'webgl' | 'wasm'

export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm']

export interface BackendInfo {
  readonly name: BackendName
  /** For WebGPU the adapter; for WASM how it runs. */
  readonly detail: string
  /** Why earlier backends in the order were not used (empty when the first one runs). */
  readonly fallbacks: readonly string[]
}

/** Where a model's files are: model.json URL (shards beside it), or the files the user dropped. */
export type ModelSource =
  | { readonly kind: 'url'; readonly modelUrl: string; readonly cardUrl: string }
  | { readonly kind: 'files'; readonly modelJson: File; readonly weights: readonly File[]; readonly card: File }

export type SegmentationRequest =
  /** The scan later requests name by `scanKey` (null: none); no reply. */
  | { readonly type: 'hold-scan'; readonly id: number; readonly scanKey: string | null; readonly volume: Volume | null }
  /** Loads and warms up the model; with a scan held, also compiles the GPU programs a run on it will use. */
  | { readonly type: 'prepare'; readonly id: number; readonly backend: BackendName | null; readonly model: ModelSource; readonly modelKey: string }
  /** `contrast`: the held scan's MR contrast as its files name it (null: not named), for a model told the contrast. */
  | { readonly type: 'segment'; readonly id: number; readonly backend: BackendName | null; readonly model: ModelSource; readonly modelKey: string; readonly scanKey: string; readonly contrast: NamedContrast | null }
  | { readonly type: 'cancel'; readonly id: number; readonly target: number }

export type SegmentationResponse =
  | { readonly type: 'prepared'; readonly id: number; readonly backend: BackendInfo; readonly card: ModelCard }
  | { readonly type: 'progress'; readonly id: number; readonly slicesDone: number; readonly slicesTotal: number }
  /** A finished run: what the Segmenter returns, with its time and the worker's tensors after it. */
  | (Segmented & {
      readonly type: 'segmented'
      readonly id: number
      readonly seconds: number
      /** tf.memory().numTensors in the worker after the run (the loaded model's weights only). */
      readonly tensorsAfter: number
    })
  | { readonly type: 'cancelled'; readonly id: number }
  | { readonly type: 'failed'; readonly id: number; readonly message: string }
