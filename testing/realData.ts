/**
 * Where the third-party scans live (`../shared/data/real` beside the clone, as in CI), and a guard for
 * tests that need them: without the data they are skipped, with the reason, except in CI (CI=true), where
 * the data must be there and a test that needs it fails instead. Override with STROKESEG_REAL_DATA /
 * STROKESEG_LESION_MASKS. The end-to-end core needs none of it (testing/fixtures/).
 */
import { describe, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_LESION_MASKS_DIR, DEFAULT_REAL_DATA_DIR } from '../src/training/data/sharedPaths'

export const REAL_DATA_DIR = DEFAULT_REAL_DATA_DIR
export const LESION_MASKS_DIR = DEFAULT_LESION_MASKS_DIR

export const realDataAvailable = existsSync(join(REAL_DATA_DIR, 'MANIFEST.md'))

/** Reason printed by tests skipped for want of the shared data. */
export const REAL_DATA_MISSING = `real scans not found at ${REAL_DATA_DIR} (set STROKESEG_REAL_DATA or put shared/ beside the clone)`

/** CI runs every test: there a missing shared folder is a failure, not a reason to skip. */
export const realDataRequired = Boolean(process.env.CI)

/** Whether tests that need the shared data skip: only outside CI, and only without the data. */
export const skipWithoutRealData = !realDataAvailable && !realDataRequired

export function realFile(relativePath: string): string {
  return join(REAL_DATA_DIR, relativePath)
}

export function readRealFile(relativePath: string): Uint8Array {
  return new Uint8Array(readFileSync(realFile(relativePath)))
}

/**
 * `describe` for tests that read the shared real scans: runs them when the data is there; otherwise reports
 * one skipped test whose name says why, or in CI one failed test.
 */
export function describeWithRealData(name: string, body: () => void): void {
  if (realDataAvailable) describe(name, body)
  else if (realDataRequired) describe(name, () => it('needs the shared real data', () => {
    throw new Error(`${REAL_DATA_MISSING}: CI must have it`)
  }))
  else describe(name, () => it.skip(REAL_DATA_MISSING, () => {}))
}
