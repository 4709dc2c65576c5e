import { test } from './test'
import { REAL_DATA_DIR, REAL_DATA_MISSING, realDataAvailable } from '../../testing/realData'

export { REAL_DATA_DIR, realFile } from '../../testing/realData'

/** Skips the calling test, with the reason, when the shared real scans are not beside the clone. */
export function requireRealData(): void {
  test.skip(!realDataAvailable, REAL_DATA_MISSING)
}

export const realDataDir = REAL_DATA_DIR
