/**
 * What the browser benchmarks share: the real scans they run, and a measurement per backend and scan, each on a
 * fresh page of Debian's Chromium served by the Vite dev server.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { createServer, type Plugin } from 'vite'
import { CHROMIUM_PATH, chromiumArgs } from '../testing/chromium'
import type { BackendName } from '../src/worker/protocol'
import { DEFAULT_REAL_DATA_DIR } from '../src/training/data/sharedPaths'
import type { Row } from './benchReport'

export interface BenchScan {
  readonly label: string
  /** Paths under the real-data folder. */
  readonly files: readonly string[]
}

/** The scans whose label contains one of the comma-separated names (all without names): BENCH_SCANS=ct or chris_t1. */
export function browserBenchScans(names = process.env.BENCH_SCANS): BenchScan[] {
  return [
    { label: 'mri_t1/chris_t1.nii.gz', files: ['mri_t1/chris_t1.nii.gz'] },
    { label: 'ct/ge_head_ct_tilt/ (28 DICOM files)', files: readdirSync(join(DEFAULT_REAL_DATA_DIR, 'ct/ge_head_ct_tilt')).map((f) => `ct/ge_head_ct_tilt/${f}`) },
  ].filter((scan) => !names || names.split(',').some((name) => scan.label.includes(name)))
}

/**
 * The rows `measure` gives for each backend and scan, each on a fresh page (a failure is printed and that row
 * left out; none at all is an error), and the Chromium version. The dev server has no file watching and no HMR:
 * an edit elsewhere in the tree must not reload a page mid-measurement.
 */
export async function measureInBrowser(
  port: number,
  plugins: Plugin[],
  backends: readonly BackendName[],
  scans: readonly BenchScan[],
  measure: (page: Page, backend: BackendName, scan: BenchScan) => Promise<Row>,
): Promise<{ rows: Row[]; chromiumVersion: string }> {
  const server = await createServer({ plugins, server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null }, logLevel: 'warn' })
  await server.listen()
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs() })
  const rows: Row[] = []
  try {
    for (const backend of backends) {
      for (const scan of scans) {
        const page = await browser.newPage()
        try {
          console.log(`${backend}: ${scan.label}…`)
          rows.push(await measure(page, backend, scan))
          console.log(JSON.stringify(rows.at(-1)))
        } catch (e) {
          console.error(`${backend} on ${scan.label} failed: ${(e as Error).message}`)
        } finally {
          await page.close()
        }
      }
    }
    if (rows.length === 0) throw new Error('no backend produced a measurement')
    return { rows, chromiumVersion: browser.version() }
  } finally {
    await browser.close()
    await server.close()
  }
}
