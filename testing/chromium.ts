/**
 * The browser for end-to-end tests and the browser benchmark: Debian's Chromium (`apt-get install chromium`),
 * never a download.
 */
import { existsSync } from 'node:fs'

export const CHROMIUM_PATH = process.env.STROKESEG_CHROMIUM ?? '/usr/bin/chromium'

if (!existsSync(CHROMIUM_PATH)) {
  throw new Error(
    `Chromium not found at ${CHROMIUM_PATH}. Install Debian's package (sudo apt-get install -y chromium) ` +
      'or set STROKESEG_CHROMIUM to a Chromium binary. The tests never download a browser.',
  )
}

/** Offline-safe flags (no background network traffic), plus WebGPU on SwiftShader for the GPU paths. */
export function chromiumArgs(): string[] {
  return [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-quic',
    '--no-first-run',
    '--disable-sync',
    '--disable-default-apps',
    '--enable-unsafe-webgpu',
  ]
}
