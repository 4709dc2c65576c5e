/**
 * Picks the tfjs backend in the browser worker: WebGPU, then WebGL, then WASM (or the one asked for with
 * ?backend=), and says which runs and why the others did not. WASM uses SIMD, and threads where the page is
 * cross-origin isolated (the servers send COOP/COEP; README says what a deployment must send): tfjs 4.22 takes
 * half the logical cores, at most 8 (so one thread on a 2-core machine). Its pthread workers run code handed
 * to them as a blob: script (the CSP allows the page's own blobs) and read names in that source text, which is
 * why vite.config.ts leaves the worker bundle unminified. The .wasm files are bundled with the app (never
 * fetched from a CDN).
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-webgpu'
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'
import { watchGpuDevice } from '../inference/gpuDeviceWatch'
import { BACKEND_ORDER, type BackendInfo, type BackendName } from './protocol'

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
})

let active: BackendInfo | null = null
/** Backends that failed during a run (a lost GPU device): never started again in this worker. */
const broken = new Map<BackendName, string>()
/** What the WebGPU device reported since it started (see gpuDeviceWatch.ts). */
let gpuTrouble: () => string | null = () => null

/**
 * Starts the requested backend, or the first of WebGPU, WebGL, WASM that starts here. Idempotent. A requested
 * backend that broke earlier hands over to the ones after it (the reason is in `fallbacks`).
 */
export async function startBackend(requested: BackendName | null): Promise<BackendInfo> {
  if (active && (requested === null || active.name === requested)) return active
  const from = requested && broken.has(requested) ? BACKEND_ORDER.indexOf(requested) : 0
  const order = requested && !broken.has(requested) ? [requested] : BACKEND_ORDER.slice(from)
  const fallbacks: string[] = []
  for (const name of order) {
    const failure = broken.get(name)
    if (failure) {
      fallbacks.push(`${name}: ${failure}`)
      continue
    }
    const reason = await tryBackend(name)
    if (reason === null) {
      active = { name, detail: describeBackend(name), fallbacks }
      return active
    }
    fallbacks.push(`${name}: ${reason}`)
  }
  throw new Error(`no tfjs backend could start here (${fallbacks.join('; ')})`)
}

/**
 * Marks the running backend broken (e.g. its GPU device was lost) and starts the next one in the order;
 * `reason` says what happened, for the user.
 */
export async function startNextBackend(reason: string): Promise<BackendInfo> {
  const failed = active?.name ?? BACKEND_ORDER[0]
  broken.set(failed, reason)
  active = null
  return startBackend(failed)
}

/** A device loss or an error that the GPU reported while WebGPU ran (tfjs 4.22 does not look), or null. */
export function reportedGpuTrouble(): string | null {
  return active?.name === 'webgpu' ? gpuTrouble() : null
}

/** The WebGPU device tfjs opened, or null on other backends. */
function webgpuDevice(): GPUDevice | null {
  return tf.getBackend() === 'webgpu' ? ((tf.backend() as unknown as { device?: GPUDevice }).device ?? null) : null
}

/** For the end-to-end test of device loss (automation only): destroys the WebGPU device. */
export function destroyGpuDevice(): boolean {
  const device = webgpuDevice()
  device?.destroy()
  return device !== null
}

/** Null when the backend started, else why not. */
async function tryBackend(name: BackendName): Promise<string | null> {
  if (name === 'webgpu' && !('gpu' in globalThis.navigator)) return 'this browser has no WebGPU'
  if (name === 'webgl' && typeof OffscreenCanvas === 'undefined') return 'no OffscreenCanvas in workers'
  try {
    if (!(await tf.setBackend(name))) return name === 'webgpu' ? 'no WebGPU adapter or device' : 'it did not start'
    if (name === 'webgpu') gpuTrouble = watchGpuDevice(webgpuDevice()!)
    return null
  } catch (e) {
    return (e as Error).message
  }
}

function describeBackend(name: BackendName): string {
  if (name === 'webgpu') {
    // The adapter tfjs opened (its AdapterInfo keeps vendor and architecture; asking for a second adapter
    // here would open another GPU instance).
    const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo
    return [info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'adapter without a name'
  }
  if (name === 'wasm') {
    const threads = getThreadsCount()
    return `SIMD, ${threads} ${threads === 1 ? 'thread' : 'threads'}${self.crossOriginIsolated ? '' : ' (the page is not cross-origin isolated)'}`
  }
  return 'WebGL 2'
}

