/**
 * Messages between the main thread and the scan parser worker (a discriminated union on `type`).
 * Voxel buffers are transferred, not copied.
 */
import type { Modality, Volume } from '../../volume/volume'
import type { DiffusionReading } from '../nifti/diffusion'
import type { NamedBytes } from '../files/sortDroppedFiles'

export type ParserRequest =
  | {
      readonly type: 'read-nifti'
      readonly id: number
      readonly name: string
      readonly bytes: Uint8Array
      /** The .img of a two-file pair. */
      readonly imageBytes?: Uint8Array
      readonly modality?: Modality
      /** The b-values of a diffusion series (its .bval): it opens as its trace-weighted image. */
      readonly bValues?: readonly number[]
    }
  | { readonly type: 'unzip'; readonly id: number; readonly archive: NamedBytes }

export type ParserResponse =
  | {
      readonly type: 'nifti'
      readonly id: number
      readonly volume: Volume
      readonly frameCount: number
      readonly orientationSource: 'sform' | 'qform' | 'none'
      /** Which diffusion weighting was opened; null when the file was read as any other. */
      readonly diffusion: DiffusionReading | null
    }
  | { readonly type: 'unzipped'; readonly id: number; readonly entries: NamedBytes[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string }
