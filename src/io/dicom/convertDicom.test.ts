import { describe, expect, it } from 'vitest'
import { conversionTimeLimitMs, correctionsOf, settleWithin } from './convertDicom'

describe('correctionsOf (dcm2niix output names)', () => {
  it.each([
    ['2_.nii', '2_', []],
    ['2__Tilt_1.nii', '2_', ['gantry tilt']],
    ['2__Eq_1.nii', '2_', ['uneven slice spacing']],
    ['2__Tilt_Eq_1.nii', '2_', ['gantry tilt', 'uneven slice spacing']],
    ['5_T1 MPRAGE.nii', '5_T1 MPRAGE', []],
  ])('%s', (name, base, corrections) => {
    expect(correctionsOf(name)).toEqual({ base, corrections })
  })
})

describe('settleWithin (every DICOM conversion ends)', () => {
  it('stops a converter that never answers, and says what did not finish', async () => {
    let stopped = false
    const neverAnswers = new Promise<never>(() => undefined)
    const started = Date.now()
    await expect(settleWithin(neverAnswers, 50, 'dcm2niix on enhanced.dcm', () => (stopped = true))).rejects.toThrow('dcm2niix on enhanced.dcm did not finish within 0 s and was stopped')
    expect(stopped).toBe(true)
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('hands over a result in time, and leaves the work alone', async () => {
    let stopped = false
    await expect(settleWithin(Promise.resolve(['series']), 1_000, 'dcm2niix', () => (stopped = true))).resolves.toEqual(['series'])
    expect(stopped).toBe(false)
  })

  it('allows 20 s and 1 s per MB', () => {
    expect(conversionTimeLimitMs([{ name: 'a.dcm', path: 'a.dcm', bytes: new Uint8Array(15_000_000) }])).toBe(35_000)
  })
})
