/**
 * SplitV for the tfjs WASM backend (the gradient of every Concat: UNet++ concatenates at each nested node).
 * The stock 4.22 kernel copies the whole input out of the WASM heap for each piece and then copies one
 * `subarray` per pixel, 1.4 s of a 8.1 s training step; this one copies straight from heap to heap with a
 * tight loop (rows shorter than 64 values) or `set` (longer rows). Any axis, numeric dtypes.
 */
import * as tf from '@tensorflow/tfjs'
import { replaceWasmKernel, wasmInternals } from './wasmHeap'

type TensorInfo = tf.TensorInfo

const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1)

function splitV({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }) {
  const { x } = inputs as { x: TensorInfo }
  const { numOrSizeSplits, axis } = attrs as unknown as { numOrSizeSplits: number[] | number; axis: number | number[] }
  const splitAxis = tf.util.parseAxisParam(axis, x.shape)[0]
  if (x.dtype === 'string') return stockSplitV!({ inputs, backend, attrs })
  const pieceSizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, splitAxis)
  const heap = wasmInternals(backend)
  const rows = product(x.shape.slice(0, splitAxis)) // [rows, total, inner] view of x
  const inner = product(x.shape.slice(splitAxis + 1))
  const rowLength = x.shape[splitAxis] * inner
  let begin = 0
  return pieceSizes.map((size) => {
    const shape = x.shape.slice()
    shape[splitAxis] = size
    const out = heap.makeOutput(shape, x.dtype)
    // Views taken after the allocation: growing the WASM memory detaches earlier ones.
    const source = heap.typedArrayFromHeap(x)
    const target = heap.typedArrayFromHeap(out)
    const pieceLength = size * inner
    for (let r = 0, from = begin * inner, to = 0; r < rows; r++, from += rowLength, to += pieceLength) {
      if (pieceLength >= 64) target.set(source.subarray(from, from + pieceLength), to)
      else for (let i = 0; i < pieceLength; i++) target[to + i] = source[from + i]
    }
    begin += size
    return out
  })
}

let stockSplitV: tf.KernelFunc | null = null

/** Registers the kernel above for the 'wasm' backend, keeping the stock one for strings. Idempotent. */
export function registerWasmSplitV(): void {
  stockSplitV ??= replaceWasmKernel('SplitV', splitV as unknown as tf.KernelFunc)
}
