import { describe, expect, it } from 'vitest'
import { softwareGpuReason, softwareRendererName } from './softwareGpu'

describe('softwareGpu', () => {
  it('names the CPU emulations that browsers offer as GPUs', () => {
    // Headless Chromium without a GPU: its WebGL renderer string and its WebGPU adapter's vendor + architecture.
    expect(softwareRendererName('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe('swiftshader')
    expect(softwareRendererName('google swiftshader  ')).toBe('swiftshader')
    expect(softwareRendererName('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe')
    expect(softwareRendererName('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe('basic render')
  })

  it('takes real GPUs for real', () => {
    expect(softwareRendererName('ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBeNull()
    expect(softwareRendererName('nvidia hopper  ')).toBeNull()
    expect(softwareRendererName('Apple M2')).toBeNull()
    expect(softwareGpuReason('intel gen-12lp')).toBeNull()
  })

  it('says why WASM runs instead, for a named emulation or an adapter that calls itself a fallback', () => {
    expect(softwareGpuReason('google swiftshader')).toBe('no GPU, only a CPU emulation of one (swiftshader): WASM is faster here')
    expect(softwareGpuReason('', true)).toBe('no GPU, only a CPU emulation of one (a fallback adapter): WASM is faster here')
  })
})
