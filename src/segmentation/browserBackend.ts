/**
 * Picks the tfjs backend in the browser worker: WebGPU, then WebGL, then WASM (or the one asked for with
 * ?backend=), and says which runs and why the others did not. WASM uses SIMD on one thread (see below); its
 * .wasm files are bundled with the app (never fetched from a CDN).
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-webgpu'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'
import { BACKEND_ORDER, type BackendInfo, type BackendName } from './protocol'

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
})
// tfjs 4.22's threaded WASM build fails once bundled (its pthread workers throw "e is not defined"), so the
// single-thread SIMD build runs even where the page is cross-origin isolated.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)

let active: BackendInfo | null = null

/** Starts the requested backend, or the first of WebGPU, WebGL, WASM that starts here. Idempotent. */
export async function startBackend(requested: BackendName | null): Promise<BackendInfo> {
  if (active && (requested === null || active.name === requested)) return active
  const order = requested ? [requested] : BACKEND_ORDER
  const fallbacks: string[] = []
  for (const name of order) {
    const reason = await tryBackend(name)
    if (reason === null) {
      active = { name, detail: describeBackend(name), fallbacks }
      return active
    }
    fallbacks.push(`${name}: ${reason}`)
  }
  throw new Error(`no tfjs backend could start here (${fallbacks.join('; ')})`)
}

/** Null when the backend started, else why not. */
async function tryBackend(name: BackendName): Promise<string | null> {
  if (name === 'webgpu' && !('gpu' in globalThis.navigator)) return 'this browser has no WebGPU'
  if (name === 'webgl' && typeof OffscreenCanvas === 'undefined') return 'no OffscreenCanvas in workers'
  try {
    return (await tf.setBackend(name)) ? null : name === 'webgpu' ? 'no WebGPU adapter or device' : 'it did not start'
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
  if (name === 'wasm') return 'SIMD, one thread'
  return 'WebGL 2'
}

