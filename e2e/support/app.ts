/**
 * Helpers that drive StrokeSeg as a user would: open the page, drop or pick files, read the status,
 * look at the canvas.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { expect, type Page } from '@playwright/test'
import { PNG } from 'pngjs'

/** Opens the app and records uncaught page errors into the returned array. */
export async function openApp(page: Page): Promise<string[]> {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto('/')
  await expect(page.locator('[data-viewer-ready="1"]')).toBeVisible()
  return pageErrors
}

/**
 * Drops files on the viewer with a real drop event carrying a DataTransfer (as a user's drag would;
 * synthetic DataTransfers have no FileSystemEntry, so this exercises the getAsFile path).
 */
export async function dropFiles(page: Page, paths: readonly string[]): Promise<void> {
  const files = paths.map((p) => ({ name: basename(p), base64: readFileSync(p).toString('base64') }))
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer()
    for (const { name, base64 } of list) {
      const binary = atob(base64)
      const bytes = new Uint8Array(binary.length)
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
      transfer.items.add(new File([bytes], name))
    }
    return transfer
  }, files)
  await page.getByTestId('drop-target').dispatchEvent('drop', { dataTransfer })
  await dataTransfer.dispose()
}

/** Waits until the app has finished with the last input and returns its status line. */
export async function settledStatus(page: Page): Promise<{ kind: string; text: string }> {
  const status = page.getByTestId('status')
  await expect(status).not.toHaveAttribute('data-kind', /busy|idle/, { timeout: 60_000 })
  return { kind: (await status.getAttribute('data-kind')) ?? '', text: (await status.textContent()) ?? '' }
}

/** Waits for the status to settle and for a newly opened scan to be listed in volume-info. */
export async function expectScanShown(page: Page, dims: string): Promise<void> {
  const status = await settledStatus(page)
  expect(status.kind, status.text).toMatch(/info|warning/)
  await expect(page.getByTestId('volume-info')).toHaveAttribute('data-dims', dims)
}

export interface CanvasPicture {
  readonly distinctValues: number
  readonly pixels: Buffer
}

/** A screenshot of the viewer canvas, decoded (RGBA). */
export async function canvasPicture(page: Page): Promise<CanvasPicture> {
  // Let niivue finish the frame it is drawing.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  const png = PNG.sync.read(await page.getByTestId('viewer-canvas').screenshot())
  const values = new Set<number>()
  for (let i = 0; i < png.data.length; i += 4) values.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2])
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
