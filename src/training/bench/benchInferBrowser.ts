/**
 * npm run bench:infer:browser — the bundled models in headless Chromium (Debian's, never a download) on each
 * backend the app uses (WebGPU, WebGL, WASM), on the T1 scan and the CT DICOM series: seconds per volume, ms per
 * slice, pipeline / model.predict alone, peak tensors, download size. Starts the Vite dev server (the benchmark
 * page is not part of the build), serves the real scans from ../shared/data/real at /real-data/, and appends a
 * dated table to BENCHMARKS.md. Without a GPU, Chromium's WebGPU and WebGL run on SwiftShader (CPU emulation).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, normalize, sep } from 'node:path'
import { chromium } from '@playwright/test'
import { createServer, type Plugin } from 'vite'
import { CHROMIUM_PATH, chromiumArgs } from '../../../testing/chromium'
import type { BackendName } from '../../segmentation/protocol'
import { DEFAULT_REAL_DATA_DIR } from '../data/sharedPaths'
import { appendBenchSection, inferenceRow, machineName, modelDownloadBytes, type Row } from './benchReport'

const RUNS = Number(process.env.BENCH_RUNS ?? 1)
const BATCH = 8
const PORT = 5181
/** BENCH_BACKENDS=wasm,webgl limits the run. */
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'webgpu,webgl,wasm').split(',') as BackendName[]
/** BENCH_SCANS=ct (or chris_t1) limits the run to the scans whose label contains one of the names. */
const SCANS = [
  { label: 'mri_t1/chris_t1.nii.gz', files: ['mri_t1/chris_t1.nii.gz'] },
  { label: 'ct/ge_head_ct_tilt/ (28 DICOM files)', files: readdirSync(join(DEFAULT_REAL_DATA_DIR, 'ct/ge_head_ct_tilt')).map((f) => `ct/ge_head_ct_tilt/${f}`) },
].filter((scan) => !process.env.BENCH_SCANS || process.env.BENCH_SCANS.split(',').some((name) => scan.label.includes(name)))

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
  // No file watching and no HMR: an edit elsewhere in the tree must not reload the page mid-measurement.
  const server = await createServer({
    plugins: [realDataServer()],
    server: { host: '127.0.0.1', port: PORT, strictPort: true, hmr: false, watch: null },
    logLevel: 'warn',
  })
  await server.listen()
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs() })
  const chromiumVersion = browser.version()
  const rows: Row[] = []
  let tfjsVersion = ''
  try {
    for (const backend of BACKENDS) {
      for (const scan of SCANS) {
        const page = await browser.newPage()
        try {
          await page.goto(`http://127.0.0.1:${PORT}/src/segmentation/bench/inferBench.html`)
          await page.waitForFunction(() => window.runInferBench !== undefined, undefined, { timeout: 120_000 })
          tfjsVersion = await page.evaluate(() => window.tfjsVersion ?? '')
          const request = { backend, files: scan.files.map((f) => `/real-data/${f}`), runs: RUNS, batchSize: BATCH }
          console.log(`${backend}: ${scan.label}…`)
          const result = await page.evaluate((r) => window.runInferBench!(r), request)
          rows.push(inferenceRow(scan.label, result.model, result.backend, result.timing, modelDownloadBytes(result.model)))
          console.log(JSON.stringify(rows.at(-1)))
        } catch (e) {
          console.error(`${backend} on ${scan.label} failed: ${(e as Error).message}`)
        } finally {
          await page.close()
        }
      }
    }
  } finally {
    await browser.close()
    await server.close()
  }
  if (rows.length === 0) throw new Error('no backend produced a measurement')
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
