/**
 * npm run bench:infer:browser — the bundled models in headless Chromium (Debian's, never a download) on each
 * backend the app uses (WebGPU, WebGL, WASM), on the T1 scan and the CT DICOM series: seconds per volume, ms per
 * slice, pipeline / model.predict alone, peak tensors, download size. Starts the Vite dev server (the benchmark
 * page is not part of the build), serves the real scans from ../shared/data/real at /real-data/, and appends a
 * dated table to BENCHMARKS.md. Without a GPU, Chromium's WebGPU and WebGL run on SwiftShader (CPU emulation).
 */
import { readFileSync } from 'node:fs'
import { join, normalize, sep } from 'node:path'
import type { Plugin } from 'vite'
import type { BackendName } from '../src/worker/protocol'
import { DEFAULT_REAL_DATA_DIR } from '../src/training/data/sharedPaths'
import { browserBenchScans, measureInBrowser } from './browserBench'
import { appendBenchSection, inferenceRow, machineName, modelDownloadBytes } from './benchReport'

const RUNS = Number(process.env.BENCH_RUNS ?? 1)
const BATCH = 8
const PORT = 5181
/** BENCH_BACKENDS=wasm,webgl limits the run. */
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'webgpu,webgl,wasm').split(',') as BackendName[]
/** Serves the shared real scans at /real-data/ (read-only, nothing outside that folder). */
function realDataServer(): Plugin {
  return {
    name: 'strokeseg-bench-real-data',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const url = decodeURIComponent((request.url ?? '').split('?')[0])
        if (!url.startsWith('/real-data/')) return next()
        const path = normalize(join(DEFAULT_REAL_DATA_DIR, url.slice('/real-data/'.length)))
        if (!path.startsWith(normalize(DEFAULT_REAL_DATA_DIR) + sep)) return next()
        response.setHeader('Content-Type', 'application/octet-stream')
        response.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
        response.end(readFileSync(path))
      })
    },
  }
}

async function main(): Promise<void> {
  let tfjsVersion = ''
  const { rows, chromiumVersion } = await measureInBrowser(PORT, [realDataServer()], BACKENDS, browserBenchScans(), async (page, backend, scan) => {
    await page.goto(`http://127.0.0.1:${PORT}/bench/browser/inferBench.html`)
    await page.waitForFunction(() => window.runInferBench !== undefined, undefined, { timeout: 120_000 })
    tfjsVersion = await page.evaluate(() => window.tfjsVersion ?? '')
    const request = { backend, files: scan.files.map((f) => `/real-data/${f}`), runs: RUNS, batchSize: BATCH }
    const result = await page.evaluate((r) => window.runInferBench!(r), request)
    return inferenceRow(scan.label, result.model, result.backend, result.timing, modelDownloadBytes(result.model))
  })
  appendBenchSection(
    'bench:infer:browser (headless Chromium)',
    `Machine: ${machineName()} (without a GPU, Chromium's WebGPU and WebGL run on SwiftShader, a CPU emulation), Chromium ${chromiumVersion}, tfjs ${tfjsVersion}; ` +
      `medians of ${RUNS} run(s) after a warm-up, batches of ${BATCH} slices, on the page's main thread.`,
    rows,
  )
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
