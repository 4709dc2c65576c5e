/**
 * The tfjs backends in the browser worker: WebGPU, then WebGL, then WASM, on real GPUs only (or the one the
 * user asked for), and which runs and why the others did not. WASM uses SIMD, and threads where the page is
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
import { watchGpuDevice } from '../pipeline/gpuDeviceWatch'
import { BACKEND_ORDER, type BackendInfo, type BackendName } from './protocol'
import type { Backends } from './segmenter'
import { softwareGpuReason } from './softwareGpu'

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
})

/**
 * The backends of the browser worker (the `Backends` a Segmenter runs on): starts the requested one, or the first
 * of WebGPU, WebGL, WASM that starts here on real hardware. A GPU that the CPU emulates (SwiftShader, llvmpipe)
 * is skipped, since WASM is faster there, and tried only after WASM. A backend that broke during a run (a lost
 * GPU device) is never started again in this worker: a request for it hands over to the ones after it, by the
 * same rules. Why each backend before the one that runs was not used is in `fallbacks`.
 */
export class BrowserBackends implements Backends {
  private active: BackendInfo | null = null
  /** What `active` was started for: a backend the user asked for, or null for the automatic choice. */
  private activeRequest: BackendName | null = null
  private readonly broken = new Map<BackendName, string>()
  /** What the WebGPU device reported since it started (see gpuDeviceWatch.ts). */
  private gpuTrouble: () => string | null = () => null

  async start(requested: BackendName | null): Promise<BackendInfo> {
    if (this.active && this.activeRequest === requested) return this.active
    this.activeRequest = requested
    if (requested && !this.broken.has(requested)) return this.startFirst([requested], [])
    const fallbacks: string[] = []
    const real: BackendName[] = []
    const emulated: BackendName[] = []
    for (const name of BACKEND_ORDER.slice(requested ? BACKEND_ORDER.indexOf(requested) : 0)) {
      const failure = this.broken.get(name)
      const software = failure || name === 'wasm' ? null : await softwareGpu(name)
      if (failure ?? software) fallbacks.push(`${name}: ${failure ?? software}`)
      if (software) emulated.push(name)
      else if (!failure) real.push(name)
    }
    return this.startFirst([...real, ...emulated], fallbacks)
  }

  async startNext(reason: string): Promise<BackendInfo> {
    const failed = this.active?.name ?? BACKEND_ORDER[0]
    this.broken.set(failed, reason)
    this.active = null
    return this.start(failed)
  }

  /** A device loss or an error that the GPU reported while WebGPU ran (tfjs 4.22 does not look), or null. */
  reportedTrouble(): string | null {
    return this.active?.name === 'webgpu' ? this.gpuTrouble() : null
  }

  /** Starts the first of `order` that starts; `fallbacks` says why backends before them were passed over. */
  private async startFirst(order: readonly BackendName[], fallbacks: readonly string[]): Promise<BackendInfo> {
    const failures: string[] = []
    for (const name of order) {
      const reason = await tryBackend(name)
      if (reason === null) {
        if (name === 'webgpu') this.gpuTrouble = watchGpuDevice((tf.backend() as unknown as { device: GPUDevice }).device)
        this.active = { name, detail: describeBackend(name), fallbacks: [...fallbacks.filter((f) => !f.startsWith(`${name}:`)), ...failures] }
        return this.active
      }
      failures.push(`${name}: ${reason}`)
    }
    throw new Error(`no tfjs backend could start here (${[...fallbacks, ...failures].join('; ')})`)
  }
}

/**
 * Why the GPU behind `name` is a CPU emulation (see softwareGpu.ts), or null for real hardware or when it cannot
 * tell (then starting the backend decides). Asks the browser directly, before tfjs opens a device or context.
 */
async function softwareGpu(name: 'webgpu' | 'webgl'): Promise<string | null> {
  try {
    if (name === 'webgpu') {
      const adapter = 'gpu' in navigator ? await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' }) : null
      if (!adapter) return null
      const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean }
      const legacyFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter
      return softwareGpuReason(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`, Boolean(info.isFallbackAdapter ?? legacyFallback))
    }
    if (typeof OffscreenCanvas === 'undefined') return null
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2')
    if (!gl) return null
    const debugInfo = gl.getExtension('WEBGL_debug_renderer_info')
    const renderer = String(gl.getParameter(debugInfo ? debugInfo.UNMASKED_RENDERER_WEBGL : gl.RENDERER))
    gl.getExtension('WEBGL_lose_context')?.loseContext()
    return softwareGpuReason(renderer)
  } catch {
    return null
  }
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
  if (name === 'wasm') {
    const threads = getThreadsCount()
    return `SIMD, ${threads} ${threads === 1 ? 'thread' : 'threads'}${self.crossOriginIsolated ? '' : ' (the page is not cross-origin isolated)'}`
  }
  return 'WebGL 2'
}

