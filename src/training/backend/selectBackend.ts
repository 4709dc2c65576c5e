/**
 * Picks the tfjs backend for Node (training, evaluation, the segment CLI). tfjs-node cannot be installed
 * here, so: WebGPU through Dawn (the `webgpu` package) when Dawn finds a hardware adapter (with our filter-gradient
 * kernel), else WASM with our fast convolution-gradient kernels. Dawn needs libvulkan1 and a Vulkan driver; on a machine without a
 * GPU, VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json gives a (slow, correct) SwiftShader adapter.
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { watchGpuDevice } from '../../pipeline/gpuDeviceWatch'
import { registerWasmConvGradients } from './wasmConvGradients'
import { registerWebgpuConvFilterGradient } from './webgpuConvFilterGradient'
import { registerWasmIdentity } from './wasmIdentity'
import { registerWasmLeadingAxesReduction } from './wasmLeadingAxesReduction'
import { registerWasmSplitV } from './wasmSplitV'

export type BackendChoice = 'auto' | 'wasm' | 'webgpu' | 'cpu'

export interface SelectedBackend {
  readonly name: 'wasm' | 'webgpu' | 'cpu'
  /** What runs it, for logs and model cards: e.g. "wasm (StrokeSeg conv gradients)", "webgpu: NVIDIA H100 (vulkan)". */
  readonly description: string
  /**
   * Throws if the GPU reported an error since the backend started (a rejected command, out of memory, a lost
   * device): tfjs does not look, and the results computed since are not to be trusted. Call it before keeping any.
   */
  assertHealthy(): void
}

const healthy = () => undefined

export async function selectBackend(choice: BackendChoice = 'auto'): Promise<SelectedBackend> {
  if (choice === 'webgpu' || choice === 'auto') {
    const adapter = await findDawnAdapter()
    if (adapter && (choice === 'webgpu' || !adapter.fallback)) {
      await import('@tensorflow/tfjs-backend-webgpu')
      registerWebgpuConvFilterGradient()
      if (await tf.setBackend('webgpu')) return { name: 'webgpu', description: `webgpu: ${adapter.description}`, assertHealthy: watchGpuErrors() }
      if (choice === 'webgpu') throw new Error('tfjs could not start its webgpu backend on the Dawn adapter')
    } else if (choice === 'webgpu') {
      throw new Error(
        'no WebGPU adapter: Dawn needs libvulkan1 and a Vulkan driver (without a GPU: ' +
          'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json from Debian\'s chromium package)',
      )
    }
  }
  if (choice === 'cpu') {
    await tf.setBackend('cpu')
    return { name: 'cpu', description: 'cpu (tfjs reference backend; slow)', assertHealthy: healthy }
  }
  registerWasmTrainingKernels()
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start its wasm backend')
  return { name: 'wasm', description: 'wasm (single thread, StrokeSeg training kernels)', assertHealthy: healthy }
}

/**
 * Our WASM kernels for training: convolution gradients, SplitV (concat gradients) heap to heap, Identity
 * without a copy, and Sum/Mean over the leading axes (batch-norm statistics, bias gradients) summed in place.
 */
export function registerWasmTrainingKernels(): void {
  registerWasmConvGradients()
  registerWasmLeadingAxesReduction()
  registerWasmSplitV()
  registerWasmIdentity()
}

/** assertHealthy for the WebGPU device tfjs opened: throws once the device reported trouble. */
function watchGpuErrors(): () => void {
  const trouble = watchGpuDevice((tf.backend() as unknown as { device: GPUDevice }).device)
  return () => {
    const reported = trouble()
    if (reported) throw new Error(`WebGPU reported trouble, so the results since are not valid: ${reported}`)
  }
}

interface DawnAdapter {
  readonly fallback: boolean
  readonly description: string
}

/** Installs Dawn's navigator.gpu and asks it for an adapter; null when there is none. */
async function findDawnAdapter(): Promise<DawnAdapter | null> {
  let gpu: GPU
  try {
    const dawn = await import('webgpu')
    Object.assign(globalThis, dawn.globals)
    gpu = dawn.create([])
  } catch {
    return null
  }
  const adapter = await gpu.requestAdapter().catch(() => null)
  if (!adapter) return null
  Object.defineProperty(globalThis, 'navigator', { value: { ...(globalThis.navigator ?? {}), gpu }, configurable: true })
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean }
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter'
  return { fallback: info.isFallbackAdapter === true, description: `${name}${info.isFallbackAdapter ? ' (fallback adapter)' : ''}` }
}
