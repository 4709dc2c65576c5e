import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { countNonZero } from '../../volume/volume'
import { DEFAULT_REAL_DATA_DIR } from '../data/sharedPaths'
import { readNiftiFile } from '../io/niftiFiles'
import { mrContrastDescription, parseMrContrasts } from '../synth/contrast'
import { FLAIR_DRAWING_CAVEAT, REAL_SCANS, realScanNotes } from './evaluateReal'

describe("evaluate:real's notes on the card", () => {
  const mr = (contrasts: string) => ({ modality: 'MR' as const, contrast: mrContrastDescription(parseMrContrasts(contrasts), 0.1) })

  it('say nothing for a model of every MR contrast, and that no real CT has a mask for CT', () => {
    expect(realScanNotes(mr('t1,t2,flair,dwi,adc'), REAL_SCANS.filter((s) => s.id !== 'stroke-flair'))).toEqual([])
    expect(realScanNotes({ modality: 'CT', contrast: 'non-contrast CT' }, [])).toEqual(['No real CT with a lesion mask was available: the CT model is scored on synthetic CT only.'])
  })

  it("say a contrast's own model is scored on scans it is not for, and when none of its own has a real mask", () => {
    expect(realScanNotes(mr('t2'), [])).toEqual(['This model is for T2 scans only: the rows of other contrasts show what it marks where it should not be used.'])
    expect(realScanNotes(mr('adc'), [])).toEqual([
      'This model is for ADC scans only: the rows of other contrasts show what it marks where it should not be used.',
      'No real ADC scan with an expert mask was available: on its own contrast it is scored on synthetic scans only.',
    ])
  })

  it("say that the FLAIR's mask is a drawing whenever it is scored, and what the file shows is so", () => {
    const flair = REAL_SCANS.find((s) => s.id === 'stroke-flair')!
    expect(realScanNotes(mr('t1,t2,flair,dwi,adc'), REAL_SCANS)).toEqual([FLAIR_DRAWING_CAVEAT])
    expect(realScanNotes(mr('t2'), [flair]).at(-1)).toBe(FLAIR_DRAWING_CAVEAT)

    const scan = readNiftiFile(join(DEFAULT_REAL_DATA_DIR, flair.scan)).data
    const mask = readNiftiFile(join(DEFAULT_REAL_DATA_DIR, flair.mask!))
    const [nx, ny, nz] = mask.dims
    const slice = nx * ny
    const count = (label: number, where: (i: number) => boolean = () => true) => {
      let n = 0
      for (let i = 0; i < mask.data.length; i++) if (mask.data[i] === label && where(i)) n++
      return n
    }
    const [one, two, three] = [count(1), count(2), count(3)]
    const all = one + two + three
    expect(all).toBe(countNonZero(mask.data)) // labels 1-3 only
    expect((two + three) / all).toBeGreaterThanOrEqual(0.96) // "96 % of its voxels are pen marks"
    expect(count(3, (i) => scan[i] === 0) / three).toBeGreaterThan(0.99) // label 3 lies outside the head
    const alone = (i: number) => { const z = Math.floor(i / slice); return (z === 0 || mask.data[i - slice] !== 2) && (z === nz - 1 || mask.data[i + slice] !== 2) }
    expect(count(2, alone) / two).toBeGreaterThan(0.3) // shapes and strokes drawn on single slices
    expect(count(1, (i) => scan[i] > 0)).toBe(one) // label 1 lies in the head
    expect((one * mask.spacing[0] * mask.spacing[1] * mask.spacing[2]) / 1000).toBeCloseTo(1.1, 1)
    expect(((2 * one) / (one + all)).toFixed(2)).toBe('0.07') // a mask of exactly label 1, against the whole file
  })
})
