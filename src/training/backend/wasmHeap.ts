/**
 * The parts of tfjs-backend-wasm 4.22's BackendWasm that our kernels use to work on the WASM heap directly:
 * allocating outputs, reading typed views of a tensor's memory, and aliasing memory without a copy.
 */
import * as tf from '@tensorflow/tfjs'

export interface WasmBackendInternals {
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number }; delete(dataId: object): void }
  /** With `memoryOffset`, registers a tensor over existing heap memory instead of allocating. */
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo
  /** A view of the tensor's heap memory; growing the heap detaches it, so take views after allocating. */
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array
  wasm: { tfjs: { disposeData(id: number): void } }
}

export const wasmInternals = (backend: tf.KernelBackend) => backend as unknown as WasmBackendInternals

/**
 * Registers `kernelFunc` as the 'wasm' backend's kernel `kernelName`, replacing the stock one if there is one
 * (its setup still runs when the backend starts). Returns the stock kernel, for the cases the replacement hands
 * back to it, or null where WASM had none.
 */
export function replaceWasmKernel(kernelName: string, kernelFunc: tf.KernelFunc): tf.KernelFunc | null {
  const stock = tf.getKernel(kernelName, 'wasm')
  if (stock) tf.unregisterKernel(kernelName, 'wasm')
  tf.registerKernel({ kernelName, backendName: 'wasm', setupFunc: stock?.setupFunc, kernelFunc })
  return stock?.kernelFunc ?? null
}

/** Runs the 'wasm' backend's kernel `kernelName` on tensor infos (inside another kernel: no engine bookkeeping). */
export function runWasmKernel(
  kernelName: string,
  inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[],
  attrs: object,
  backend: tf.KernelBackend,
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm')
  if (!kernel) throw new Error(`the wasm backend has no ${kernelName} kernel`)
  return kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, attrs: attrs as tf.NamedAttrMap, backend }) as tf.TensorInfo
}
