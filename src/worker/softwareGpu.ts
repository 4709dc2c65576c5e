/**
 * Is the GPU a browser offers a real one? Without a GPU (or with a blocked driver) Chromium still offers WebGPU
 * and WebGL, emulated on the CPU by SwiftShader; other browsers use llvmpipe / lavapipe (Mesa) or Microsoft's
 * Basic Render Driver. There the model runs ~100x slower than on WASM (a 112x112x73 DWI: ~270 s against 2 s),
 * so the automatic choice skips such adapters. Chromium marks a WebGPU SwiftShader adapter as a fallback
 * adapter; WebGL only names its renderer, hence the names.
 */

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i

/** The renderer's own words when they name a CPU emulation, else null. */
export function softwareRendererName(description: string): string | null {
  return SOFTWARE_RENDERERS.exec(description)?.[0].toLowerCase() ?? null
}

/** Why a backend on this adapter or renderer would be slower than WASM, for the user; null for a real GPU. */
export function softwareGpuReason(description: string, isFallbackAdapter = false): string | null {
  const name = softwareRendererName(description) ?? (isFallbackAdapter ? 'a fallback adapter' : null)
  return name && `no GPU, only a CPU emulation of one (${name}): WASM is faster here`
}
