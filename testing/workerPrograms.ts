/**
 * The GPU programs that tfjs has compiled so far in a page's segmentation worker (tfjs-webgl's `binaryCache`,
 * tfjs-webgpu's `pipelineCache`), read through Playwright's worker handle: does the worker's warm-up leave any
 * to a run? Each cache key with what it is: on WebGL the program's class (`GatherProgram`), on WebGPU its key.
 */
import type { Page } from '@playwright/test'

export async function workerPrograms(page: Page): Promise<Map<string, string>> {
  for (const worker of page.workers()) {
    const programs = await worker
      .evaluate(() => {
        type Binary = { program?: { constructor: { name: string } } }
        const engine = (self as { _tfengine?: { backend: { binaryCache?: Record<string, Binary>; pipelineCache?: Record<string, unknown> } } })._tfengine
        if (!engine) return null
        const { binaryCache, pipelineCache } = engine.backend
        // The class as tfjs names it (the bundler suffixes clashing names: GatherProgram$1). No named function
        // here: tsx (esbuild) would wrap it in a helper that the worker does not have.
        if (binaryCache) return Object.entries(binaryCache).map(([key, binary]): [string, string] => [key, binary.program?.constructor.name.replace(/\$\d+$/, '') ?? key])
        return Object.keys(pipelineCache ?? {}).map((key): [string, string] => [key, key])
      })
      .catch(() => null) // a worker that has gone (WASM thread pools come and go)
    if (programs !== null) return new Map(programs)
  }
  throw new Error('no worker of the page holds tfjs')
}

/** What compiled between two readings of workerPrograms: each new program's class (WebGL) or key (WebGPU). */
export function programsAdded(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  return [...after].filter(([key]) => !before.has(key)).map(([, name]) => name)
}
