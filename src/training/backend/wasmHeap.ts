/**
 * The parts of tfjs-backend-wasm 4.22's BackendWasm that our kernels use to work on the WASM heap directly:
 * allocating outputs, reading typed views of a tensor's memory, and aliasing memory without a copy.
 */
import type * as tf from '@tensorflow/tfjs'
import { replaceKernel, runBackendKernel } from './kernelRegistry'

export interface WasmBackendInternals {
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number }; delete(dataId: object): void }
  /** With `memoryOffset`, registers a tensor over existing heap memory instead of allocating. */
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo
  /** A view of the tensor's heap memory; growing the heap detaches it, so take views after allocating. */
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array
  wasm: { tfjs: { disposeData(id: number): void } }
}

export const wasmInternals = (backend: tf.KernelBackend) => backend as unknown as WasmBackendInternals

/** replaceKernel for the 'wasm' backend. */
export const replaceWasmKernel = (kernelName: string, kernelFunc: tf.KernelFunc) => replaceKernel('wasm', kernelName, kernelFunc)

/** runBackendKernel for the 'wasm' backend. */
export const runWasmKernel = (kernelName: string, inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[], attrs: object, backend: tf.KernelBackend) =>
  runBackendKernel('wasm', kernelName, inputs, attrs, backend)
