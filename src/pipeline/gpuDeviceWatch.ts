/**
 * What a WebGPU device reports that tfjs 4.22 does not look at: its loss, and the errors it raises on its own
 * (out of memory, a command it rejected; results computed since are not to be trusted). The browser worker
 * and Node's backends watch their device with it.
 */

/** Watches `device`; the returned function says what went wrong first (a loss before anything else), or null. */
export function watchGpuDevice(device: GPUDevice): () => string | null {
  let lost: string | null = null
  let failed: string | null = null
  void device.lost.then((info) => (lost = `the GPU device was lost${info.message ? ` (${info.message})` : ''}`))
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error
    const outOfMemory = typeof GPUOutOfMemoryError !== 'undefined' && error instanceof GPUOutOfMemoryError
    failed ??= outOfMemory ? `the GPU ran out of memory (${error.message})` : `the GPU rejected a command (${error.message.split('\n')[0]})`
  })
  return () => lost ?? failed
}
