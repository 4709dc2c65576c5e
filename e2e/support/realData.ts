import { test } from './test'
import { REAL_DATA_DIR, REAL_DATA_MISSING, realDataAvailable, realDataRequired } from '../../testing/realData'

export { REAL_DATA_DIR, realFile } from '../../testing/realData'

/** Skips the calling test, with the reason, when the shared real scans are not beside the clone; in CI fails it. */
export function requireRealData(): void {
  if (!realDataAvailable && realDataRequired) throw new Error(`${REAL_DATA_MISSING}: CI must have it`)
  test.skip(!realDataAvailable, REAL_DATA_MISSING)
}

export const realDataDir = REAL_DATA_DIR
