/**
 * Axial slices of an RAS-ordered volume (x fastest: each slice is [rows = A..P axis y, columns = x]) as
 * model input, resampled in-plane to the model's spacing, and model output mapped back. Shared by
 * segmentation and training, so both see slices made the same way.
 */
import * as tf from '@tensorflow/tfjs'
import type { Vec3 } from '../volume/affine'

export interface SliceGeometry {
  /** Slice size in the volume: [rows, columns] = [ny, nx]. */
  readonly native: readonly [number, number]
  /** Size after resampling to the model's spacing. */
  readonly resampled: readonly [number, number]
  /** Padding [top, bottom, left, right] that brings the resampled slice to the model's size multiple. */
  readonly padding: readonly [number, number, number, number]
}

export function sliceGeometry(dims: Vec3, spacing: Vec3, modelSpacingMm: number, sizeMultiple: number): SliceGeometry {
  const native: [number, number] = [dims[1], dims[0]]
  const resampled: [number, number] = [
    Math.max(1, Math.round((dims[1] * spacing[1]) / modelSpacingMm)),
    Math.max(1, Math.round((dims[0] * spacing[0]) / modelSpacingMm)),
  ]
  const extra = resampled.map((n) => Math.ceil(n / sizeMultiple) * sizeMultiple - n)
  return {
    native,
    resampled,
    padding: [Math.floor(extra[0] / 2), Math.ceil(extra[0] / 2), Math.floor(extra[1] / 2), Math.ceil(extra[1] / 2)],
  }
}

/** Axial slices on the native grid [b, ny, nx, 1] -> resampled to the model's spacing [b, rows, columns, 1]. */
export function resampleSlices(slices: tf.Tensor4D, geometry: SliceGeometry): tf.Tensor4D {
  return sameSize(geometry.native, geometry.resampled) ? slices : tf.image.resizeBilinear(slices, [...geometry.resampled], false, true)
}

/** Resampled slices padded with `background` to the model's size multiple. */
export function padSlices(slices: tf.Tensor4D, geometry: SliceGeometry, background: number): tf.Tensor4D {
  const [top, bottom, left, right] = geometry.padding
  return tf.pad(slices, [[0, 0], [top, bottom], [left, right], [0, 0]], background)
}

/** Model output [b, padded rows, padded columns, 1] -> probabilities on the native slice grid [b, ny, nx, 1]. */
export function toNativeSlices(output: tf.Tensor4D, geometry: SliceGeometry): tf.Tensor4D {
  return tf.tidy(() => {
    const [top, , left] = geometry.padding
    const cropped = output.slice([0, top, left, 0], [-1, geometry.resampled[0], geometry.resampled[1], 1])
    return sameSize(geometry.native, geometry.resampled) ? cropped : tf.image.resizeBilinear(cropped, [...geometry.native], false, true)
  })
}

/** Share of a slice's pixels that must be head for the slice to be segmented (and sampled in training). */
export const MIN_HEAD_FRACTION = 0.005

/** Indices of the axial slices that hold at least minFraction head pixels (and one), from head pixels per slice. */
export function slicesWithHead(headPerSlice: ArrayLike<number>, geometry: SliceGeometry, minFraction = MIN_HEAD_FRACTION): number[] {
  const sliceSize = geometry.native[0] * geometry.native[1]
  const ks: number[] = []
  for (let k = 0; k < headPerSlice.length; k++) if (headPerSlice[k] > 0 && headPerSlice[k] >= minFraction * sliceSize) ks.push(k)
  return ks
}

const sameSize = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1]
