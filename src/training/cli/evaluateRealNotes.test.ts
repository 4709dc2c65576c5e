import { describe, expect, it } from 'vitest'
import { mrContrastDescription, parseMrContrasts } from '../synth/contrast'
import { realScanNotes } from './evaluateReal'

describe("evaluate:real's notes on the card", () => {
  const mr = (contrasts: string) => ({ modality: 'MR' as const, contrast: mrContrastDescription(parseMrContrasts(contrasts), 0.1) })

  it('say nothing for a model of every MR contrast, and that no real CT has a mask for CT', () => {
    expect(realScanNotes(mr('t1,t2,flair,dwi,adc'))).toEqual([])
    expect(realScanNotes({ modality: 'CT', contrast: 'non-contrast CT' })).toEqual(['No real CT with a lesion mask was available: the CT model is scored on synthetic CT only.'])
  })

  it("say a contrast's own model is scored on scans it is not for, and when none of its own has a real mask", () => {
    expect(realScanNotes(mr('t2'))).toEqual(['This model is for T2 scans only: the rows of other contrasts show what it marks where it should not be used.'])
    expect(realScanNotes(mr('adc'))).toEqual([
      'This model is for ADC scans only: the rows of other contrasts show what it marks where it should not be used.',
      'No real ADC scan with an expert mask was available: on its own contrast it is scored on synthetic scans only.',
    ])
  })
})
