/**
 * Identity for the tfjs WASM backend without a copy. During training tfjs clones every tensor a gradient
 * will need (Engine.clone runs Identity), about a thousand per multi-task step; the stock 4.22 WASM kernel
 * copies each one (138 ms of a 6 s step). Like Reshape on WASM and Identity on the CPU backend, this one
 * shares the input's memory and counts a reference. WASM kernels never write into their inputs, so the
 * sharing is safe.
 */
import type * as tf from '@tensorflow/tfjs'
import { replaceWasmKernel } from './wasmHeap'

interface RefCountingBackend {
  incRef(dataId: object): void
}

function sharedIdentity({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend }): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo }
  if (x.dtype === 'string') return stockIdentity!({ inputs, backend, attrs: {} }) as tf.TensorInfo
  ;(backend as unknown as RefCountingBackend).incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}

let stockIdentity: tf.KernelFunc | null = null

/** Registers the kernel above for the 'wasm' backend, keeping the stock one for strings. Idempotent. */
export function registerWasmIdentity(): void {
  stockIdentity ??= replaceWasmKernel('Identity', sharedIdentity as unknown as tf.KernelFunc)
}
