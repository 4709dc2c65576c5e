/**
 * Playwright's `test` and `expect` for every StrokeSeg end-to-end test, with one guard that runs in all of
 * them: no request may leave the page's origin (blob: and data: URLs stay in the page). Together the tests make
 * a complete visit (load, NIfTI and DICOM, segmentation on WebGPU, WebGL and WASM, corrections, export).
 */
import { test as base, expect } from '@playwright/test'

export const test = base.extend<{ requestsStayOnOrigin: void }>({
  requestsStayOnOrigin: [
    async ({ context, baseURL }, use) => {
      const origin = new URL(baseURL!).origin
      const offOrigin: string[] = []
      context.on('request', (request) => {
        const url = request.url()
        if (!url.startsWith('blob:') && !url.startsWith('data:') && new URL(url).origin !== origin) offOrigin.push(url)
      })
      await use()
      expect(offOrigin, 'requests that left the page\'s origin').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }
export type { Page } from '@playwright/test'
