/**
 * Conv2DBackpropFilter for tfjs-backend-webgpu 4.22, as one batched matMul. The stock kernel took 3.0 s of a
 * 3.4 s training step of the paper's network on an H200 (37 calls; forward convolutions 34 ms in all):
 * BENCHMARKS.md. Here (stride 1, dilation 1, NHWC, 'same' or 'valid'; anything else goes to the stock kernel):
 *   P  = the input, padded, shifted once per kernel offset and concatenated along channels: [M, kh kw Ci],
 *        M = N Ho Wo output pixels;
 *   dW = P^T dY, a [kh kw Ci, Co] result of a reduction over M. One such product has too few outputs to keep a
 *        GPU busy through its long reduction, so M is cut into chunks that a batched matMul runs side by side,
 *        and the chunks' products are summed.
 */
import type * as tf from '@tensorflow/tfjs'
import { forwardPadding, isPlainConvolution, type ConvGradientAttrs } from './convGradientAttrs'
import { replaceKernel, runBackendKernel, withScratch } from './kernelRegistry'

type TensorInfo = tf.TensorInfo

/** Output pixels per chunk of the reduction, at least (chunks must divide M). */
const MIN_PIXELS_PER_CHUNK = 1024

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
  const pixels = n * ho * wo
  const chunks = chunkCount(pixels)
  return withScratch(backend, (keep) => {
    const paddings = [[0, 0], [top, bottom], [left, right], [0, 0]]
    const padded = top + bottom + left + right > 0 ? keep(run('PadV2', { x }, { paddings, constantValue: 0 }, backend)) : x
    const shifted: TensorInfo[] = []
    for (let r = 0; r < kh; r++) {
      for (let c = 0; c < kw; c++) shifted.push(keep(run('Slice', { x: padded }, { begin: [0, r, c, 0], size: [n, ho, wo, ci] }, backend)))
    }
    const patches = shifted.length === 1 ? shifted[0] : keep(run('Concat', shifted, { axis: 3 }, backend)) // [N, Ho, Wo, kh kw Ci]
    const patchChunks = keep(run('Reshape', { x: patches }, { shape: [chunks, pixels / chunks, kh * kw * ci] }, backend))
    const dyChunks = keep(run('Reshape', { x: dy }, { shape: [chunks, pixels / chunks, co] }, backend))
    const products = keep(run('BatchMatMul', { a: patchChunks, b: dyChunks }, { transposeA: true, transposeB: false }, backend)) // [chunks, kh kw Ci, Co]
    const summed = chunks > 1 ? keep(run('Sum', { x: products }, { axis: [0], keepDims: false }, backend)) : products
    return keep(run('Reshape', { x: summed }, { shape: [kh, kw, ci, co] }, backend))
  })
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
