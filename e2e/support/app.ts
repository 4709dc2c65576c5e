/**
 * Helpers that drive StrokeSeg as a user would: open the page, drop or pick files, read the status,
 * look at the canvas.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { expect, type Page } from '@playwright/test'
import { PNG } from 'pngjs'

/** Opens the app and records uncaught page errors and failed HTTP responses (a missing icon too) into the returned array. */
export async function openApp(page: Page, path = '/'): Promise<string[]> {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('response', (response) => response.status() >= 400 && pageErrors.push(`HTTP ${response.status()} ${response.url()}`))
  await page.goto(path)
  await expect(page.locator('[data-viewer-ready="1"]')).toBeVisible()
  return pageErrors
}

/**
 * Drops files on the viewer with a real drop event carrying a DataTransfer (as a user's drag would;
 * synthetic DataTransfers have no FileSystemEntry, so this exercises the getAsFile path), and waits
 * until the app has answered it.
 */
export async function dropFiles(page: Page, paths: readonly string[]): Promise<{ kind: string; text: string }> {
  return dropOneAfterAnother(page, [paths])
}

/**
 * Drops each group of files on the viewer right after the other, without waiting for the app in between (a user
 * who drops a second scan while the first is read), then waits until the app has answered.
 */
export async function dropOneAfterAnother(page: Page, drops: ReadonlyArray<readonly string[]>): Promise<{ kind: string; text: string }> {
  const before = await statusSeq(page)
  const transfers = await Promise.all(drops.map((paths) => dataTransferOf(page, paths)))
  for (const dataTransfer of transfers) await page.getByTestId('drop-target').dispatchEvent('drop', { dataTransfer })
  await Promise.all(transfers.map((t) => t.dispose()))
  return settledStatus(page, before)
}

async function dataTransferOf(page: Page, paths: readonly string[]) {
  const files = paths.map((p) => ({ name: basename(p), base64: readFileSync(p).toString('base64') }))
  return page.evaluateHandle((list) => {
    const transfer = new DataTransfer()
    for (const { name, base64 } of list) {
      const binary = atob(base64)
      const bytes = new Uint8Array(binary.length)
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
      transfer.items.add(new File([bytes], name))
    }
    return transfer
  }, files)
}

/** Sets files on a file input and waits until the app has answered them. */
export async function pickFiles(page: Page, testId: string, paths: string | string[]): Promise<{ kind: string; text: string }> {
  const before = await statusSeq(page)
  await page.getByTestId(testId).setInputFiles(paths)
  return settledStatus(page, before)
}

async function statusSeq(page: Page): Promise<number> {
  return Number(await page.getByTestId('status').getAttribute('data-seq'))
}

/** Waits for a status newer than `afterSeq` that is not 'busy', and returns it. */
export async function settledStatus(page: Page, afterSeq: number): Promise<{ kind: string; text: string }> {
  const status = page.getByTestId('status')
  await expect
    .poll(async () => Number(await status.getAttribute('data-seq')) > afterSeq && (await status.getAttribute('data-kind')) !== 'busy', {
      timeout: 90_000,
    })
    .toBe(true)
  return { kind: (await status.getAttribute('data-kind')) ?? '', text: (await status.textContent()) ?? '' }
}

/** Asserts that the last input opened a scan with these dims. */
export async function expectScanShown(page: Page, status: { kind: string; text: string }, dims: string): Promise<void> {
  expect(status.kind, status.text).toMatch(/info|warning/)
  await expect(page.getByTestId('volume-info')).toHaveAttribute('data-dims', dims)
}

export interface CanvasPicture {
  readonly distinctValues: number
  readonly pixels: Buffer
}

/**
 * A screenshot of the viewer canvas, decoded (RGBA); `distinctValues` counts the colours inside an edge of
 * `margin` pixels (the screenshot's outermost row can show the page around the canvas).
 */
export async function canvasPicture(page: Page, margin = 0): Promise<CanvasPicture> {
  // Let niivue finish the frame it is drawing.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  const png = PNG.sync.read(await page.getByTestId('viewer-canvas').screenshot())
  const values = new Set<number>()
  for (let y = margin; y < png.height - margin; y++) {
    for (let x = margin; x < png.width - margin; x++) {
      const i = 4 * (y * png.width + x)
      values.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2])
    }
  }
  return { distinctValues: values.size, pixels: png.data }
}

/** Share of pixels (0..1) that differ between two pictures of the same size. */
export function changedFraction(a: CanvasPicture, b: CanvasPicture): number {
  let changed = 0
  for (let i = 0; i < a.pixels.length; i += 4) {
    if (a.pixels[i] !== b.pixels[i] || a.pixels[i + 1] !== b.pixels[i + 1] || a.pixels[i + 2] !== b.pixels[i + 2]) changed++
  }
  return changed / (a.pixels.length / 4)
}

/** A point on the viewer canvas, as fractions of its width and height. */
export type CanvasPoint = readonly [number, number]

/** A stroke across the middle of the canvas, and a closed square around its centre. */
export const LINE: readonly CanvasPoint[] = [[0.3, 0.5], [0.7, 0.5]]
export const SQUARE: readonly CanvasPoint[] = [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6], [0.4, 0.4]]

/** One left-button drag through `points` on the viewer canvas, as a hand would draw it. */
export async function drag(page: Page, points: readonly CanvasPoint[]): Promise<void> {
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!
  const at = ([fx, fy]: CanvasPoint) => [box.x + fx * box.width, box.y + fy * box.height] as const
  await page.mouse.move(...at(points[0]))
  await page.mouse.down()
  for (const point of points.slice(1)) await page.mouse.move(...at(point), { steps: 12 })
  await page.mouse.up()
}

/** The shown mask's voxels as run lengths [value, count, ...]: exact, and small enough to fetch after every stroke. */
export const maskRuns = (page: Page): Promise<number[]> => page.evaluate(() => window.strokeSeg!.maskRuns()!)

/** Mask voxels from run lengths [value, count, ...]. */
export function voxelsOfRuns(runs: readonly number[]): Uint8Array {
  const voxels = new Uint8Array(runs.reduce((n, count, i) => (i % 2 === 1 ? n + count : n), 0))
  for (let i = 0, at = 0; i < runs.length; at += runs[i + 1], i += 2) voxels.fill(runs[i], at, at + runs[i + 1])
  return voxels
}

/**
 * Destroys the WebGPU device of the segmentation worker's tfjs, as a driver crash would; false when no WebGPU
 * backend runs there. Reaches tfjs through its engine on the worker's global scope (`_tfengine`), so the app
 * ships no hook for it.
 */
export async function destroyWorkerGpuDevice(page: Page): Promise<boolean> {
  const worker = page.workers().find((w) => /segmentation\.worker/.test(w.url()))
  if (!worker) throw new Error(`no segmentation worker among ${page.workers().map((w) => w.url()).join(', ') || 'no workers'}`)
  return worker.evaluate(() => {
    const engine = (self as unknown as { _tfengine?: { backendName?: string; backend?: { device?: GPUDevice } } })._tfengine
    if (engine?.backendName !== 'webgpu' || !engine.backend?.device) return false
    engine.backend.device.destroy()
    return true
  })
}
