/**
 * Fast convolution gradients for the tfjs WASM backend, built from its fast forward kernels.
 * Stock tfjs 4.22 WASM has no Conv2DBackpropFilter at all, and its Conv2DBackpropInput runs ~10x slower
 * than its forward conv. Both are re-expressed here (stride 1, dilation 1, NHWC, 'same' or 'valid'):
 * - input gradient  dX = conv2d(pad(dY), flip(W) with in/out swapped, 'valid'): a forward conv ('same' without
 *   the padded copy for odd kernels with 'same' padding);
 * - filter gradient dW[a, b] = X_pad[:, a:a+Ho, b:b+Wo, :]^T dY for each kernel offset (a, b), computed as a
 *   non-transposed matMul [Ci, M] x [M, Co] (M = pixels of the padded grid) of X transposed once, read through
 *   zero-copy shifted views, with dY (packed once by XNNPACK for all offsets).
 */
import type * as tf from '@tensorflow/tfjs'
import { forwardPadding, isPlainConvolution, type ConvGradientAttrs } from './convGradientAttrs'
import { withScratch } from './kernelRegistry'
import { replaceWasmKernel, runWasmKernel as run, wasmInternals } from './wasmHeap'

type TensorInfo = tf.TensorInfo
type KernelBackend = tf.KernelBackend

function assertSupported(attrs: ConvGradientAttrs, kernelName: string): void {
  if (!isPlainConvolution(attrs)) {
    throw new Error(
      `${kernelName} on wasm (StrokeSeg kernel) supports stride 1, dilation 1, NHWC and 'same'/'valid' padding; ` +
        `got strides ${attrs.strides}, pad ${attrs.pad}, format ${attrs.dataFormat}`,
    )
  }
}

/**
 * Runs `body` on a float32 tensor that aliases `source`'s heap memory from element `start` on, with `shape`
 * (no copy). The view is unregistered afterwards without freeing the memory, which `source` owns.
 */
function withHeapView<T>(backend: KernelBackend, source: TensorInfo, start: number, shape: number[], body: (view: TensorInfo) => T): T {
  const wasm = wasmInternals(backend)
  const view = wasm.makeOutput(shape, 'float32', wasm.dataIdMap.get(source.dataId).memoryOffset + 4 * start)
  try {
    return body(view)
  } finally {
    wasm.wasm.tfjs.disposeData(wasm.dataIdMap.get(view.dataId).id)
    wasm.dataIdMap.delete(view.dataId)
  }
}

/**
 * X [N, H, W, Ci] zero-padded in H and W and transposed to channel rows [Ci + extraRows, N * Hp * Wp], in one
 * heap-to-heap pass (PadV2 then Transpose took 4x longer). The extra rows are zeros.
 */
function paddedChannelRows(backend: KernelBackend, x: TensorInfo, [top, bottom, left, right]: number[], extraRows: number): TensorInfo {
  const [n, h, w, ci] = x.shape
  const [hp, wp] = [h + top + bottom, w + left + right]
  const m = n * hp * wp
  const heap = wasmInternals(backend)
  const out = heap.makeOutput([ci + extraRows, m], 'float32')
  const source = heap.typedArrayFromHeap(x) // views taken after the allocation, which may grow the heap
  const target = heap.typedArrayFromHeap(out)
  target.fill(0)
  // One image row at a time: its W * Ci values stay in cache while each channel's W values are written out.
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      const rowStart = (b * h + i) * w * ci
      const outStart = b * hp * wp + (i + top) * wp + left
      for (let c = 0; c < ci; c++) {
        for (let j = 0, from = rowStart + c, to = c * m + outStart; j < w; j++, from += ci, to++) target[to] = source[from]
      }
    }
  }
  return out
}

/** dY [N, Ho, Wo, Co] placed at the top left of each image of an Hp x Wp grid, zeros elsewhere: [1, M, Co]. */
function dyOnPaddedGrid(backend: KernelBackend, dy: TensorInfo, hp: number, wp: number): TensorInfo {
  const [n, ho, wo, co] = dy.shape
  const heap = wasmInternals(backend)
  const out = heap.makeOutput([1, n * hp * wp, co], 'float32')
  const source = heap.typedArrayFromHeap(dy)
  const target = heap.typedArrayFromHeap(out)
  target.fill(0)
  const rowLength = wo * co
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < ho; i++) {
      const from = (b * ho + i) * rowLength
      target.set(source.subarray(from, from + rowLength), (b * hp + i) * wp * co)
    }
  }
  return out
}

function conv2DBackpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: KernelBackend; attrs: tf.NamedAttrMap }) {
  const a = attrs as unknown as ConvGradientAttrs
  assertSupported(a, 'Conv2DBackpropFilter')
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo } // x [N, H, W, Ci], dy [N, Ho, Wo, Co]
  const [kh, kw, ci, co] = a.filterShape!
  const n = dy.shape[0]
  const [top, bottom, left, right] = forwardPadding(a.pad as 'same' | 'valid', kh, kw)
  const [hp, wp] = [x.shape[1] + top + bottom, x.shape[2] + left + right]
  const m = n * hp * wp // pixels of the padded grid
  return withScratch(backend, (keep) => {
    const channelRows = keep(paddedChannelRows(backend, x, [top, bottom, left, right], kh * kw > 1 ? 1 : 0)) // [Ci (+1), M]
    // dY placed on the same padded grid, zero beyond the valid outputs: [M, Co].
    const dyMatrix = keep(dyOnPaddedGrid(backend, dy, hp, wp)) // [1, M, Co]
    // dW[r, c] = sum_q Xpad[q + r Wp + c] dY[q] over flat grid positions q: a non-transposed matMul of dY with the
    // view of X's channel rows shifted by r Wp + c. Where a row's view runs into the next row, dY is zero.
    const perOffset: TensorInfo[] = []
    for (let r = 0; r < kh; r++) {
      for (let c = 0; c < kw; c++) {
        perOffset.push(
          keep(
            withHeapView(backend, channelRows, r * wp + c, [1, ci, m], (rows) =>
              run('BatchMatMul', { a: rows, b: dyMatrix }, { transposeA: false, transposeB: false }, backend),
            ),
          ), // [1, Ci, Co]
        )
      }
    }
    const stacked = perOffset.length === 1 ? perOffset[0] : keep(run('Concat', perOffset, { axis: 0 }, backend)) // the Concat kernel takes a list
    return keep(run('Reshape', { x: stacked }, { shape: [kh, kw, ci, co] }, backend)) // [kh, kw, Ci, Co]
  })
}

function conv2DBackpropInput({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: KernelBackend; attrs: tf.NamedAttrMap }) {
  const a = attrs as unknown as ConvGradientAttrs
  assertSupported(a, 'Conv2DBackpropInput')
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo } // dy [N, Ho, Wo, Co], filter [kh, kw, Ci, Co]
  const [kh, kw] = filter.shape
  const [top, bottom, left, right] = forwardPadding(a.pad as 'same' | 'valid', kh, kw)
  return withScratch(backend, (keep) => {
    const flipped = kh * kw > 1 ? keep(run('Reverse', { x: filter }, { dims: [0, 1] }, backend)) : filter
    const swapped = keep(run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }, backend)) // [kh, kw, Co, Ci]
    const convolve = (input: TensorInfo, pad: 'same' | 'valid') =>
      keep(run('Conv2D', { x: input, filter: swapped }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1] }, backend)) // [N, H, W, Ci]
    // Full correlation pads dY by (k - 1 - forward padding) on each side; for odd kernels with 'same' padding
    // that is 'same' padding again, which the conv does without a padded copy of dY.
    const paddings = [[0, 0], [kh - 1 - top, kh - 1 - bottom], [kw - 1 - left, kw - 1 - right], [0, 0]]
    if (a.pad === 'same' && kh % 2 === 1 && kw % 2 === 1) return convolve(dy, 'same')
    const padded = paddings.flat().some((p) => p > 0) ? keep(run('PadV2', { x: dy }, { paddings, constantValue: 0 }, backend)) : dy
    return convolve(padded, 'valid')
  })
}

let registered = false

/** Registers the kernels above for the 'wasm' backend (replacing the stock Conv2DBackpropInput). Idempotent. */
export function registerWasmConvGradients(): void {
  if (registered) return
  replaceWasmKernel('Conv2DBackpropFilter', conv2DBackpropFilter as unknown as tf.KernelFunc)
  replaceWasmKernel('Conv2DBackpropInput', conv2DBackpropInput as unknown as tf.KernelFunc)
  registered = true
}
