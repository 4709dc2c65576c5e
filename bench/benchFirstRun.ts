/**
 * npm run bench:first-run — does the segmentation worker's warm-up take GPU program compilation off the first
 * run? Drives the app in headless Chromium as a user would (the scan opened through the file input, Segment
 * pressed once the model card shows, then again), counts the GPU programs in the worker (tfjs-webgl's
 * `binaryCache`, tfjs-webgpu's `pipelineCache`) after the warm-up and after each run, and times the warm-up
 * (from opening the scan to the model card) and each run (from the click to its result). Appends a dated table
 * to BENCHMARKS.md. BENCH_BACKENDS (default webgpu,webgl), BENCH_SCANS (default ct: chris_t1 takes about 10
 * minutes a run on SwiftShader) and BENCH_RUNS (default 2).
 */
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { programsAdded, workerPrograms } from '../testing/workerPrograms'
import type { BackendName } from '../src/worker/protocol'
import { DEFAULT_REAL_DATA_DIR } from '../src/training/data/sharedPaths'
import { appendBenchSection, machineName, type Row } from './benchReport'
import { browserBenchScans, measureInBrowser } from './browserBench'

const RUNS = Number(process.env.BENCH_RUNS ?? 2)
const PORT = 5182
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'webgpu,webgl').split(',') as BackendName[]
const RUN_TIMEOUT_MS = 1_800_000

/** Presses Segment and waits for the run to end; its seconds from the click. */
async function segmentSeconds(page: Page): Promise<number> {
  const panel = page.getByTestId('segment-panel')
  const runsBefore = Number(await panel.getAttribute('data-run'))
  const started = performance.now()
  await page.getByTestId('segment-button').click()
  await page.waitForFunction(
    (before) => {
      const p = document.querySelector('[data-testid="segment-panel"]')
      return Number(p?.getAttribute('data-run')) > before && /^(done|failed)$/.test(p?.getAttribute('data-phase') ?? '')
    },
    runsBefore,
    { timeout: RUN_TIMEOUT_MS, polling: 200 },
  )
  if ((await panel.getAttribute('data-phase')) === 'failed') throw new Error(await page.getByTestId('progress-text').innerText())
  return (performance.now() - started) / 1000
}

async function main(): Promise<void> {
  const { rows, chromiumVersion } = await measureInBrowser(PORT, [], BACKENDS, browserBenchScans(process.env.BENCH_SCANS ?? 'ct'), async (page, backend, scan) => {
    await page.goto(`http://127.0.0.1:${PORT}/?backend=${backend}`)
    await page.locator('[data-viewer-ready="1"]').waitFor({ timeout: 120_000 })
    const opened = performance.now()
    await page.getByTestId('file-input').setInputFiles(scan.files.map((f) => join(DEFAULT_REAL_DATA_DIR, f)))
    await page.getByTestId('model-card').waitFor({ timeout: RUN_TIMEOUT_MS }) // loaded and warmed up, for this scan
    const warmUpSeconds = (performance.now() - opened) / 1000
    const backendShown = (await page.getByTestId('backend').innerText()).trim().replace(/^Runs on /, '')
    const row: Row = {
      scan: scan.label,
      backend: backendShown,
      'open to model card: s': warmUpSeconds.toFixed(1),
      'programs after the warm-up': String((await workerPrograms(page)).size),
    }
    for (let run = 1; run <= RUNS; run++) {
      const [before, seconds] = [await workerPrograms(page), await segmentSeconds(page)]
      row[`run ${run}: programs compiled`] = String(programsAdded(before, await workerPrograms(page)).length)
      row[`run ${run}: s`] = seconds.toFixed(1)
    }
    return row
  })
  appendBenchSection(
    'bench:first-run (headless Chromium)',
    `Machine: ${machineName()} (without a GPU, Chromium's WebGPU and WebGL run on SwiftShader, a CPU emulation), Chromium ${chromiumVersion}; ` +
      'the app on the Vite dev server, the scan opened, Segment pressed once the model card shows (model loaded and warmed up), then again; ' +
      'GPU programs counted in the segmentation worker; seconds from opening the scan to the model card (the scan read, the model loaded, ' +
      'warmed up and its programs for the scan compiled), and from each click to its result.',
    rows,
  )
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
