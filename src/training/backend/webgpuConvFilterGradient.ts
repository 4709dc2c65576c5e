/**
 * Conv2DBackpropFilter for tfjs-backend-webgpu 4.22, as batched matMuls. The stock kernel took 3.0 s of a
 * 3.4 s training step of the paper's network on an H200 (37 calls; forward convolutions 34 ms in all):
 * BENCHMARKS.md. Here (stride 1, dilation 1, NHWC, 'same' or 'valid'; anything else goes to the stock kernel),
 * for each kernel offset (r, c):
 *   dW[r, c] = S^T dY, S = the padded input shifted by (r, c) ([M, Ci], M = N Ho Wo output pixels),
 * a [Ci, Co] result of a reduction over M. One such product has too few outputs to keep a GPU busy through its
 * long reduction, so M is cut into chunks that a batched matMul runs side by side, and their products summed.
 * Large inputs are taken in bands of whole images, or of rows of one image, so that no shifted copy outgrows
 * a WebGPU storage binding (2 GiB on the GPUs we measured; Dawn rejects larger ones and the result is garbage).
 */
import type * as tf from '@tensorflow/tfjs'
import { forwardPadding, isPlainConvolution, type ConvGradientAttrs } from './convGradientAttrs'
import { replaceKernel, runBackendKernel, withScratch } from './kernelRegistry'

type TensorInfo = tf.TensorInfo

/** Output pixels per chunk of the reduction, at least (chunks must divide M). */
const MIN_PIXELS_PER_CHUNK = 1024

/** Bytes of one shifted copy of a band of the input (or of dY), at most. Tests lower it to exercise bands. */
export const filterGradientLimits = { bandBytes: 256 * 2 ** 20 }

/** Images [b0, b1) and output rows [y0, y1) of them: a band of the reduction. */
export interface Band {
  readonly b0: number
  readonly b1: number
  readonly y0: number
  readonly y1: number
}

let stockKernel: tf.KernelFunc | null = null

const run = (kernelName: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: object, backend: tf.KernelBackend) =>
  runBackendKernel('webgpu', kernelName, inputs, attrs, backend)

function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): TensorInfo {
  const { inputs, backend, attrs } = args
  const a = attrs as unknown as ConvGradientAttrs
  if (!isPlainConvolution(a)) return stockKernel!(args) as TensorInfo
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo } // x [N, H, W, Ci], dy [N, Ho, Wo, Co]
  const [kh, kw, ci, co] = a.filterShape!
  const [n, ho, wo] = dy.shape
  const [top, bottom, left, right] = forwardPadding(a.pad as 'same' | 'valid', kh, kw)
  const bands = bandsOf(n, ho, wo, Math.floor(filterGradientLimits.bandBytes / (4 * Math.max(ci, co))))
  return withScratch(backend, (keep) => {
    const paddings = [[0, 0], [top, bottom], [left, right], [0, 0]]
    const padded = top + bottom + left + right > 0 ? keep(run('PadV2', { x }, { paddings, constantValue: 0 }, backend)) : x
    const perOffset: TensorInfo[] = [] // each [Ci, Co]
    for (const { b0, b1, y0, y1 } of bands) {
      const whole = bands.length === 1
      const dyBand = whole ? dy : keep(run('Slice', { x: dy }, { begin: [b0, y0, 0, 0], size: [b1 - b0, y1 - y0, wo, co] }, backend))
      const pixels = (b1 - b0) * (y1 - y0) * wo
      const chunks = chunkCount(pixels)
      const dyChunks = keep(run('Reshape', { x: dyBand }, { shape: [chunks, pixels / chunks, co] }, backend))
      for (let r = 0, offset = 0; r < kh; r++) {
        for (let c = 0; c < kw; c++, offset++) {
          const shifted = keep(run('Slice', { x: padded }, { begin: [b0, y0 + r, c, 0], size: [b1 - b0, y1 - y0, wo, ci] }, backend))
          const shiftedChunks = keep(run('Reshape', { x: shifted }, { shape: [chunks, pixels / chunks, ci] }, backend))
          const products = keep(run('BatchMatMul', { a: shiftedChunks, b: dyChunks }, { transposeA: true, transposeB: false }, backend)) // [chunks, Ci, Co]
          const band = keep(chunks > 1 ? run('Sum', { x: products }, { axis: [0], keepDims: false }, backend) : run('Reshape', { x: products }, { shape: [ci, co] }, backend))
          perOffset[offset] = perOffset[offset] === undefined ? band : keep(run('Add', { a: perOffset[offset], b: band }, {}, backend))
        }
      }
    }
    const stacked = perOffset.length === 1 ? perOffset[0] : keep(run('Concat', perOffset, { axis: 0 }, backend)) // [kh kw Ci, Co]
    return keep(run('Reshape', { x: stacked }, { shape: [kh, kw, ci, co] }, backend))
  })
}

/** Bands of at most `maxPixels` output pixels: whole images where one fits, else rows of one image (one row at least). */
export function bandsOf(n: number, ho: number, wo: number, maxPixels: number): Band[] {
  const bands: Band[] = []
  const imagesPerBand = Math.floor(maxPixels / (ho * wo))
  if (imagesPerBand >= 1) {
    for (let b0 = 0; b0 < n; b0 += imagesPerBand) bands.push({ b0, b1: Math.min(n, b0 + imagesPerBand), y0: 0, y1: ho })
    return bands
  }
  const rowsPerBand = Math.max(1, Math.floor(maxPixels / wo))
  for (let b = 0; b < n; b++) for (let y0 = 0; y0 < ho; y0 += rowsPerBand) bands.push({ b0: b, b1: b + 1, y0, y1: Math.min(ho, y0 + rowsPerBand) })
  return bands
}

/** The most chunks of `pixels` that divide it and leave each at least MIN_PIXELS_PER_CHUNK pixels (1 if none). */
export function chunkCount(pixels: number): number {
  for (let chunks = Math.floor(pixels / MIN_PIXELS_PER_CHUNK); chunks > 1; chunks--) if (pixels % chunks === 0) return chunks
  return 1
}

/** Registers the kernel above for the 'webgpu' backend in place of the stock one. Idempotent. */
export function registerWebgpuConvFilterGradient(): void {
  if (stockKernel) return
  stockKernel = replaceKernel('webgpu', 'Conv2DBackpropFilter', conv2DBackpropFilter as unknown as tf.KernelFunc)
}
