/**
 * The scan kept on the backend for a GPU run: the voxels go up once; the head statistics are reduced there
 * (one small read-back) and the whole scan normalised there; each chunk of slices is cut, reoriented and
 * resampled there, and the model's output brought to the native grid there, with a handful of operations per
 * chunk (tfjs dispatches every operation from JavaScript, a tenth of a millisecond or more each through Dawn,
 * so their number counts); only each row's highest probability comes back, then the rows that reach the
 * threshold, thresholded here. On a fast GPU the in-memory way's JavaScript (a pass over every voxel, slice
 * copies, interpolation) takes longer than the model.
 */
import * as tf from '@tensorflow/tfjs'
import { sourceIndexOf, type RasReorientation } from '../volume/rasReorientation'
import { isNarrowInteger, type Volume } from '../volume/volume'
import { toNativeSlices, type SliceGeometry } from './axialSlices'
import { airValue, headThreshold, intensityAnalysis, normalizedTensor, type HeadStatistics } from './intensityNormalization'
import { maskValueOf, type ModelCard } from './modelCard'
import { batchesOf, modelInputOf, preparedScanOf, unanalysedScan, type PreparedScan, type ScanSlicer } from './scanSlices'
import { widenOnWebGpu } from './webgpuVoxelUpload'

/**
 * The scan's voxels on the backend in real units, non-finite ones read as `fill`: [nz, ny, nx]. 1- and 2-byte
 * integers go up as they are on WebGPU (`webgpuVoxelUpload.ts`), other integers as a float32 copy.
 */
function uploadVoxels({ data, dims: [nx, ny, nz] }: Volume, fill: number): tf.Tensor3D {
  if (isNarrowInteger(data) && tf.getBackend() === 'webgpu') return tf.tidy(() => widenOnWebGpu(data).reshape([nz, ny, nx]))
  if (!(data instanceof Float32Array)) return tf.tensor3d(new Float32Array(data), [nz, ny, nx]) // integers are all finite
  return tf.tidy(() => {
    const voxels = tf.tensor3d(data, [nz, ny, nx])
    return tf.where(tf.isFinite(voxels), voxels, fill)
  })
}

/**
 * Head statistics of the uploaded voxels [nz, ny, nx]: counts, sums and sums of squares reduced on the backend
 * per row of voxels (float32 over at most a few hundred values), the rows summed here in double precision.
 */
async function headStatisticsOnBackend(voxels: tf.Tensor3D, headAbove: number): Promise<HeadStatistics> {
  const [nz, ny] = voxels.shape
  const reduced = headStatisticsTensor(voxels, headAbove)
  const values = (await reduced.data()) as Float32Array
  reduced.dispose()
  const rows = nz * ny
  const total = (part: number) => values.subarray(part * rows, (part + 1) * rows).reduce((sum, v) => sum + v, 0)
  const [alongX, alongY, alongZ] = [Uint32Array.from(values.subarray(3 * rows), Math.round), new Uint32Array(ny), new Uint32Array(nz)]
  for (let z = 0, row = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++, row++) {
      alongY[y] += values[row]
      alongZ[z] += values[row]
    }
  }
  return { n: total(0), sum: total(1), sumSquares: total(2), headCounts: [alongX, alongY, alongZ] }
}

/** [nz * ny] head counts, sums and sums of squares per row of voxels [nz, ny, nx], then [nx] head counts along x. */
function headStatisticsTensor(voxels: tf.Tensor3D, headAbove: number): tf.Tensor1D {
  return tf.tidy(() => {
    const head = tf.step(voxels.sub(headAbove)) // 1 where above (a bool cast to float would keep int data on WebGPU, tfjs 4.22)
    const headValues = voxels.mul(head)
    return tf.concat([head.sum(2).flatten(), headValues.sum(2).flatten(), headValues.mul(voxels).sum(2).flatten(), head.sum([0, 1])]) as tf.Tensor1D
  })
}

/** Axial RAS slices ks of voxels on the backend [nz, ny, nx] (source order): [b, ny, nx, 1] in RAS order. */
function rasSlices(voxels: tf.Tensor3D, orientation: RasReorientation, ks: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const tensorAxisOf = (rasAxis: number) => 2 - orientation.sourceAxisOf[rasAxis] // voxels hold source axis a at 2 - a
    const [, , depth] = orientation.dims
    const picked = tf.gather(voxels, orientation.flipped[2] ? ks.map((k) => depth - 1 - k) : [...ks], tensorAxisOf(2))
    const perm = [tensorAxisOf(2), tensorAxisOf(1), tensorAxisOf(0)]
    const slices = perm.every((axis, i) => axis === i) ? picked : picked.transpose(perm) // [b, ny, nx]
    const flips = [orientation.flipped[1] ? 1 : -1, orientation.flipped[0] ? 2 : -1].filter((axis) => axis > 0)
    return (flips.length > 0 ? slices.reverse(flips) : slices).expandDims(3) as tf.Tensor4D
  })
}

/** The model input for chunk `ks` of the normalised scan [nz, ny, nx], in batches of batchSize: [b, H, W, 1] each. */
function chunkInputs(normalised: tf.Tensor3D, scan: PreparedScan, ks: readonly number[], batchSize: number): tf.Tensor4D[] {
  const input = tf.tidy(() => modelInputOf(rasSlices(normalised, scan.orientation, ks), scan)) // [c, H, W, 1]
  if (ks.length <= batchSize) return [input]
  const batches = batchesOf(ks, batchSize).map((batch, i) => input.slice(i * batchSize, batch.length))
  input.dispose()
  return batches
}

/** The model's output for a chunk ([b, H, W, 1] per batch) as probabilities on the native slice grid: [c, ny, nx]. */
function nativeProbabilities(outputs: readonly tf.Tensor4D[], geometry: SliceGeometry): tf.Tensor3D {
  return tf.tidy(() => toNativeSlices(outputs.length === 1 ? outputs[0] : tf.concat([...outputs]), geometry).squeeze([3]) as tf.Tensor3D)
}

/** A chunk's output on the native grid [c, ny, nx] and each row's highest probability [c, ny]: what a run reads back. */
function chunkOutputs(outputs: readonly tf.Tensor4D[], geometry: SliceGeometry): { probabilities: tf.Tensor3D; rowMaxima: tf.Tensor2D } {
  const probabilities = nativeProbabilities(outputs, geometry)
  return { probabilities, rowMaxima: tf.tidy(() => probabilities.max(2) as tf.Tensor2D) }
}

/**
 * A collected chunk with lesion rows: its probabilities [c, ny, nx] stay on the backend until `finish`, which
 * reads back those rows only and thresholds them here.
 */
interface ChunkWithLesion {
  readonly chunk: readonly number[]
  readonly probabilities: tf.Tensor3D
  /** Rows (i * ny + y) whose highest probability reaches the threshold. */
  readonly rows: readonly number[]
}

/** Uploads the scan, analyses and normalises it on the backend, and slices it there. */
export async function slicesOnBackend(volume: Volume, card: ModelCard, minHeadFraction: number, mask: Uint8Array): Promise<ScanSlicer> {
  const voxels = uploadVoxels(volume, airValue(card.normalization))
  try {
    const headAbove = headThreshold(volume, card.normalization) // while the upload runs
    const statistics = await headStatisticsOnBackend(voxels, headAbove)
    const scan = preparedScanOf(volume, intensityAnalysis(volume.name, card.normalization, headAbove, statistics), card, minHeadFraction)
    return slicerOver(normalizedTensor(voxels, scan.mapping), scan, card, mask)
  } finally {
    voxels.dispose()
  }
}

/**
 * The scan's slicer on the backend before its intensities are known (a stand-in mapping, every slice): the
 * upload, the head statistics and the normalisation as a run dispatches them, nothing read back. For compiling
 * a run's programs ahead (`compileRunPrograms`); the tensors are left to the caller's tidy.
 */
export function unanalysedSlicerOnBackend(volume: Volume, card: ModelCard): ScanSlicer {
  const scan = unanalysedScan(volume, card)
  const voxels = uploadVoxels(volume, scan.mapping.fill)
  headStatisticsTensor(voxels, scan.mapping.headAbove)
  return slicerOver(normalizedTensor(voxels, scan.mapping), scan, card, new Uint8Array(0))
}

/** Slices the normalised scan on the backend [nz, ny, nx] (which it takes over) and writes lesion voxels into `mask`. */
function slicerOver(normalised: tf.Tensor3D, scan: PreparedScan, card: Pick<ModelCard, 'threshold' | 'seedThreshold'>, mask: Uint8Array): ScanSlicer {
  const { threshold } = card
  const held = new Set<tf.Tensor>([normalised])
  const withLesion: ChunkWithLesion[] = []
  const [ny, nx] = scan.geometry.native
  return {
    scan,
    inputs: (chunk, batchSize) => chunkInputs(normalised, scan, chunk, batchSize),
    collect: (chunk, outputs) => {
      let taken: ReturnType<typeof chunkOutputs>
      try {
        taken = chunkOutputs(outputs, scan.geometry)
      } finally {
        tf.dispose(outputs)
      }
      const { probabilities, rowMaxima } = taken
      held.add(probabilities).add(rowMaxima)
      const maxima = rowMaxima.data() as Promise<Float32Array>
      maxima.catch(() => undefined) // a chunk dropped on cancel or error must not report an unhandled rejection
      return async () => {
        const rows: number[] = []
        ;(await maxima).forEach((max, row) => max >= threshold && rows.push(row))
        held.delete(rowMaxima)
        rowMaxima.dispose()
        if (rows.length > 0) return void withLesion.push({ chunk, probabilities, rows })
        held.delete(probabilities)
        probabilities.dispose()
      }
    },
    finish: async () => {
      if (withLesion.length === 0) return
      // Each chunk's rows gathered where they are: only they are copied, not every chunk's probabilities.
      const lesionRows = tf.tidy(() => tf.concat(withLesion.map(({ probabilities, rows }) => tf.gather(probabilities.reshape([-1, nx]), rows)))) // [rows, nx]
      held.add(lesionRows)
      const values = (await lesionRows.data()) as Float32Array
      let r = 0
      for (const { chunk, rows } of withLesion) {
        for (const row of rows) {
          const [k, y] = [chunk[Math.floor(row / ny)], row % ny]
          for (let x = 0, at = r * nx; x < nx; x++, at++) if (values[at] >= threshold) mask[sourceIndexOf(scan.orientation, x, y, k)] = maskValueOf(values[at], card)
          r++
        }
      }
    },
    stepsOf: (chunk, batchSize, predict) => void chunkOutputs(chunkInputs(normalised, scan, chunk, batchSize).map(predict), scan.geometry),
    dispose: () => tf.dispose([...held]),
  }
}
