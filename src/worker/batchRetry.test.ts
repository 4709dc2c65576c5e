import { describe, expect, it } from 'vitest'
import { FIRST_BATCH, gpuFailure, isGpuLoss, isResourceLimit, segmentInBatches, type BatchRetryOptions } from './batchRetry'

/** Real messages from the backends' limits (tfjs WebGL texture size, WebGPU buffer size, WASM memory). */
const TEXTURE_LIMIT = 'Requested texture size [20480x4096] greater than WebGL maximum on this browser / GPU [16384x16384].'
const BUFFER_LIMIT = 'Buffer size (2415919104) exceeds the max buffer size limit (2147483648).'
const WASM_MEMORY = 'Cannot enlarge memory, asked to go up to 4294967296 bytes'

function options(overrides: Partial<BatchRetryOptions> = {}): BatchRetryOptions {
  return { backend: 'webgl', dims: [512, 512, 300], signal: new AbortController().signal, reportedTrouble: () => null, notices: [], ...overrides }
}

describe('segmentInBatches', () => {
  it('halves the batch after each limit failure until one fits, slicing in main memory from then on, and notes each retry', async () => {
    const tried: number[] = []
    const inMemory: boolean[] = []
    const o = options()
    const result = await segmentInBatches(async ({ batchSize, sliceInMemory }) => {
      tried.push(batchSize)
      inMemory.push(sliceInMemory)
      if (batchSize > 2) throw new Error(TEXTURE_LIMIT)
      return `mask with batches of ${batchSize}`
    }, o)
    expect(result).toBe('mask with batches of 2')
    expect(tried).toEqual([FIRST_BATCH, 4, 2])
    expect(inMemory).toEqual([false, true, true])
    expect(o.notices).toEqual([
      `webgl failed with 8 slices per batch (${TEXTURE_LIMIT}); tried 4`,
      `webgl failed with 4 slices per batch (${TEXTURE_LIMIT}); tried 2`,
    ])
  })

  it('gives up after one slice at a time, with the scan dims, the backend and the cause', async () => {
    const tried: number[] = []
    const run = segmentInBatches(async ({ batchSize }) => {
      tried.push(batchSize)
      throw new Error(BUFFER_LIMIT)
    }, options({ backend: 'webgpu' }))
    await expect(run).rejects.toThrow(`the 512x512x300 scan did not fit the webgpu backend even one slice at a time: ${BUFFER_LIMIT}`)
    expect(tried).toEqual([8, 4, 2, 1])
  })

  it('retries when the GPU reported running out of memory, whatever the error said', async () => {
    let calls = 0
    const o = options({ backend: 'webgpu', reportedTrouble: () => (calls === 1 ? 'the GPU ran out of memory (allocation failed)' : null) })
    await segmentInBatches(async () => {
      if (++calls === 1) throw new Error('mapAsync failed')
      return 'mask'
    }, o)
    expect(calls).toBe(2)
  })

  it('does not retry a bad scan, a cancel, or a lost device: their errors reach the caller as they are', async () => {
    const noVoxels = new Error('scan.nii: no voxel above the background, nothing to segment')
    let calls = 0
    await expect(segmentInBatches(async () => { calls++; throw noVoxels }, options())).rejects.toBe(noVoxels)
    const cancelled = new AbortController()
    cancelled.abort()
    await expect(segmentInBatches(async () => { calls++; throw new Error(WASM_MEMORY) }, options({ signal: cancelled.signal }))).rejects.toThrow(WASM_MEMORY)
    const lost = new Error('out of memory while the device was lost')
    await expect(segmentInBatches(async () => { calls++; throw lost }, options({ reportedTrouble: () => 'the GPU device was lost' }))).rejects.toBe(lost)
    expect(calls).toBe(3)
  })
})

describe('failure classification', () => {
  it('tells limits from lost devices', () => {
    for (const message of [TEXTURE_LIMIT, BUFFER_LIMIT, WASM_MEMORY]) expect(isResourceLimit(new Error(message), null), message).toBe(true)
    expect(isResourceLimit(new Error('Failed to compile fragment shader'), null)).toBe(false)
    expect(isGpuLoss(new DOMException('read rejected', 'AbortError'), null)).toBe(true)
    expect(isGpuLoss(new Error('GPU device was destroyed'), null)).toBe(true)
    expect(isGpuLoss(new Error(TEXTURE_LIMIT), null)).toBe(false)
  })

  it('names a GPU failure for the hand-over to the next backend, and nothing else', () => {
    expect(gpuFailure(new Error('mapAsync failed'), 'the GPU device was lost (destroyed)')).toBe('the GPU device was lost (destroyed)')
    expect(gpuFailure(new DOMException('read rejected', 'AbortError'), null)).toBe('the GPU device was lost (read rejected)')
    expect(gpuFailure(new Error('Out of memory in allocation'), null)).toBe('the GPU ran out of memory (Out of memory in allocation)')
    expect(gpuFailure(new Error('scan.nii: no voxel above the background'), null)).toBeNull()
  })
})
