/**
 * What the worker does when a backend fails mid-run: which failures smaller batches may avoid (memory, texture
 * or buffer size limits), which mean the GPU itself failed (the run moves to the next backend), and the run
 * that halves its batch after each limit failure, down to one slice at a time, before it gives up with the numbers.
 * After a limit failure the scan is also sliced from main memory, so that only the batches take GPU memory.
 */

/** Slices per model.predict call at first; halved after a failure down to one. */
export const FIRST_BATCH = 8

/** A failure that smaller batches may avoid. `reported`: what the GPU itself reported meanwhile, if anything. */
export function isResourceLimit(error: Error, reported: string | null): boolean {
  return /memory|exceed|too (large|big)|limit|allocat|texture size|buffer size/i.test(`${error.message} ${reported ?? ''}`)
}

/** A lost GPU device: WebGPU reads reject with an AbortError, or the device said so. */
export function isGpuLoss(error: Error, reported: string | null): boolean {
  return error.name === 'AbortError' || /lost/.test(reported ?? '') || /device (is |was )?(lost|destroyed)/i.test(error.message)
}

/**
 * What went wrong with the GPU when a run failed, for the user and the hand-over to the next backend: what the
 * device reported, a lost device, running out of memory; null when the failure is not the GPU's.
 */
export function gpuFailure(error: Error, reported: string | null): string | null {
  if (reported) return reported
  if (isGpuLoss(error, null)) return `the GPU device was lost (${error.message})`
  return /out of memory/i.test(error.message) ? `the GPU ran out of memory (${error.message})` : null
}

export interface BatchRetryOptions {
  /** The backend that runs, and the scan's dims, for the messages. */
  readonly backend: string
  readonly dims: readonly number[]
  readonly signal: AbortSignal
  /** What the GPU reported since the run began (device lost, out of memory), or null. */
  readonly reportedTrouble: () => string | null
  /** Each retry is noted here for the user. */
  readonly notices: string[]
}

/** How one attempt runs: slices per batch, and whether the scan is sliced from main memory (not kept on the GPU). */
export interface Attempt {
  readonly batchSize: number
  readonly sliceInMemory: boolean
}

/** `segment` from FIRST_BATCH slices per batch down, halving after each failure from the backend's limits. */
export async function segmentInBatches<T>(segment: (attempt: Attempt) => Promise<T>, o: BatchRetryOptions): Promise<T> {
  for (let batchSize = FIRST_BATCH; ; batchSize /= 2) {
    try {
      return await segment({ batchSize, sliceInMemory: batchSize < FIRST_BATCH })
    } catch (error) {
      const reported = o.reportedTrouble()
      if (!(error instanceof Error) || o.signal.aborted || isGpuLoss(error, reported) || !isResourceLimit(error, reported)) throw error
      if (batchSize === 1) {
        throw new Error(`the ${o.dims.join('x')} scan did not fit the ${o.backend} backend even one slice at a time: ${error.message}`, { cause: error })
      }
      o.notices.push(`${o.backend} failed with ${batchSize} slices per batch (${error.message}); tried ${batchSize / 2}`)
    }
  }
}
