/**
 * Our kernels on tfjs backends: registering one in place of the stock kernel, running the backend's own
 * kernels from inside it (on tensor infos, without engine bookkeeping), and freeing its intermediates.
 */
import * as tf from '@tensorflow/tfjs'

/**
 * Registers `kernelFunc` as `backendName`'s kernel `kernelName`, replacing the stock one if there is one (its
 * setup still runs when the backend starts). Returns the stock kernel, for the cases the replacement hands back
 * to it, or null where the backend had none.
 */
export function replaceKernel(backendName: string, kernelName: string, kernelFunc: tf.KernelFunc): tf.KernelFunc | null {
  const stock = tf.getKernel(kernelName, backendName)
  if (stock) tf.unregisterKernel(kernelName, backendName)
  tf.registerKernel({ kernelName, backendName, setupFunc: stock?.setupFunc, kernelFunc })
  return stock?.kernelFunc ?? null
}

/** Runs `backendName`'s kernel `kernelName` on tensor infos (inside another kernel: no engine bookkeeping). */
export function runBackendKernel(
  backendName: string,
  kernelName: string,
  inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[],
  attrs: object,
  backend: tf.KernelBackend,
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, backendName)
  if (!kernel) throw new Error(`the ${backendName} backend has no ${kernelName} kernel`)
  return kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, attrs: attrs as tf.NamedAttrMap, backend }) as tf.TensorInfo
}

/** Runs `body` with a list that collects intermediates; disposes all of them except the result. */
export function withScratch(backend: tf.KernelBackend, body: (keep: (t: tf.TensorInfo) => tf.TensorInfo) => tf.TensorInfo): tf.TensorInfo {
  const scratch: tf.TensorInfo[] = []
  const result = body((t) => {
    scratch.push(t)
    return t
  })
  for (const t of scratch) if (t !== result) backend.disposeData(t.dataId)
  return result
}
