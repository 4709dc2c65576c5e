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
  /** Padding [top, bottom, left, right] up to the model's size multiple and at least `minSize` each way, split evenly. */
  readonly padding: readonly [number, number, number, number]
}

/** `minSize`: the padded slice's least height and width in pixels (the card's training size, with `padToTrainingSize`). */
export function sliceGeometry(dims: Vec3, spacing: Vec3, modelSpacingMm: number, sizeMultiple: number, minSize = 0): SliceGeometry {
  const native: [number, number] = [dims[1], dims[0]]
  const resampled: [number, number] = [
    Math.max(1, Math.round((dims[1] * spacing[1]) / modelSpacingMm)),
    Math.max(1, Math.round((dims[0] * spacing[0]) / modelSpacingMm)),
  ]
  const extra = resampled.map((n) => Math.ceil(Math.max(n, minSize) / sizeMultiple) * sizeMultiple - n)
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

/** Model output [b, H, W, 1] -> probabilities on the native slice grid [b, ny, nx, 1]: padding cropped, resampled back. */
export function toNativeSlices(output: tf.Tensor4D, geometry: SliceGeometry): tf.Tensor4D {
  return tf.tidy(() => {
    const [top, , left] = geometry.padding
    const cropped = output.slice([0, top, left, 0], [-1, ...geometry.resampled, 1])
    return sameSize(geometry.native, geometry.resampled) ? cropped : tf.image.resizeBilinear(cropped, [...geometry.native], false, true)
  })
}

/** Where each native pixel along one axis reads the resampled grid: tf.image.resizeBilinear's rule (half-pixel centres). */
interface AxisInterpolation {
  readonly lower: Int32Array
  readonly upper: Int32Array
  readonly fraction: Float64Array
}

function axisInterpolation(resampled: number, native: number): AxisInterpolation {
  const ratio = resampled / native
  const lower = new Int32Array(native)
  const upper = new Int32Array(native)
  const fraction = new Float64Array(native)
  for (let i = 0; i < native; i++) {
    const at = ratio * (i + 0.5) - 0.5
    lower[i] = Math.max(0, Math.floor(at))
    upper[i] = Math.min(resampled - 1, Math.ceil(at))
    fraction[i] = at - lower[i]
  }
  return { lower, upper, fraction }
}

/** Calls `lesion(y, x, p)` for each native pixel of slice `i` of the read-back model output that is lesion (p: its probability). */
export type LesionPixels = (output: Float32Array, i: number, threshold: number, lesion: (y: number, x: number, p: number) => void) => void

/**
 * The lesion pixels of a slice of the model's output on the native slice grid: probabilities interpolated
 * bilinearly from the resampled region inside the padding (as tf.image.resizeBilinear with half-pixel centres),
 * then thresholded. Native rows whose two source rows are below the threshold throughout are skipped (no
 * interpolation can reach it): a slice without lesion costs one look at its small resampled grid. The
 * interpolation weights are worked out once here, for every slice of the geometry. `output` of the returned
 * function: the read-back output [b, padded rows, padded columns].
 */
export function lesionPixelsOnNativeGrid(geometry: SliceGeometry): LesionPixels {
  const [top, bottom, left, right] = geometry.padding
  const [rows, columns] = geometry.resampled
  const [nativeRows, nativeColumns] = geometry.native
  const paddedColumns = columns + left + right
  const ys = axisInterpolation(rows, nativeRows)
  const xs = axisInterpolation(columns, nativeColumns)
  const rowMax = new Float64Array(rows)
  return (output, i, threshold, lesion) => {
    const start = (i * (rows + top + bottom) + top) * paddedColumns + left // resampled pixel (0, 0)
    for (let r = 0; r < rows; r++) {
      let max = -Infinity
      for (let c = 0, at = start + r * paddedColumns; c < columns; c++, at++) if (output[at] > max) max = output[at]
      rowMax[r] = max
    }
    for (let y = 0; y < nativeRows; y++) {
      const [r0, r1, wy] = [ys.lower[y], ys.upper[y], ys.fraction[y]]
      if (rowMax[r0] < threshold && rowMax[r1] < threshold) continue
      const [upperRow, lowerRow] = [start + r0 * paddedColumns, start + r1 * paddedColumns]
      for (let x = 0; x < nativeColumns; x++) {
        const [c0, c1, wx] = [xs.lower[x], xs.upper[x], xs.fraction[x]]
        const upperValue = output[upperRow + c0] + (output[upperRow + c1] - output[upperRow + c0]) * wx
        const lowerValue = output[lowerRow + c0] + (output[lowerRow + c1] - output[lowerRow + c0]) * wx
        const p = upperValue + (lowerValue - upperValue) * wy
        if (p >= threshold) lesion(y, x, p)
      }
    }
  }
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
