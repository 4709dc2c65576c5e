import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUNDLED_MODELS, bundledModelFor } from './bundledModels'
import { contrastsOnly } from './modelCard'
import { recogniseContrast } from './scanContrast'

describe('bundled models', () => {
  it('each one the picker offers is in models/, with a card of its modality and contrasts and a brain model that exists', () => {
    for (const bundled of BUNDLED_MODELS) {
      const dir = join('models', bundled.id)
      expect(existsSync(join(dir, 'model.json')), dir).toBe(true)
      const card = JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8'))
      expect(card.modality, dir).toBe(bundled.modality)
      if (card.brainMask) expect(existsSync(join(dir, card.brainMask.model, 'model.json')), dir).toBe(true)
      // The contrasts the picker routes to it are the ones its card says it was trained for (mrContrastDescription).
      expect(contrastsOnly(card.contrast), dir).toEqual(bundled.contrasts ?? null)
    }
  })

  it("a scan gets the model of its modality, and an MR scan its contrast's own model where one is shipped", () => {
    const idFor = (...args: Parameters<typeof bundledModelFor>) => bundledModelFor(...args).model.id
    expect(idFor('CT')).toBe('ct')
    expect(idFor('MR')).toBe('mr')
    expect(idFor('unknown')).toBe('mr')
    expect(idFor('MR', recogniseContrast({ fileName: 'sub-strokecase0001_ses-0001_adc.nii.gz' }))).toBe('mr-adc')
    expect(idFor('MR', recogniseContrast({ fileName: 'T2.nii' }))).toBe('mr-t2')
    expect(idFor('MR', recogniseContrast({ fileName: 'sub-strokecase0001_ses-0001_dwi.nii.gz' }))).toBe('mr')
    expect(idFor('MR', recogniseContrast({ fileName: 'FLAIR.nii.gz' }))).toBe('mr')
    expect(idFor('CT', recogniseContrast({ fileName: 'T2.nii' }))).toBe('ct') // a CT's name cannot make it MR
    // Every contrast a shipped model is for is one the recogniser can name.
    for (const m of BUNDLED_MODELS) for (const c of m.contrasts ?? []) expect(idFor('MR', { contrast: c, source: 'test' })).toBe(m.id)
  })

  it('says why: the contrast and where it was read, or that none was named', () => {
    expect(bundledModelFor('MR', recogniseContrast({ fileName: 'x_adc.nii' })).reason).toBe('an MR scan, ADC by its file name "x_adc.nii"')
    expect(bundledModelFor('unknown').reason).toBe('an MR scan; no contrast named in its files')
    expect(bundledModelFor('MR', recogniseContrast({ fileName: 'x_dwi.nii' })).reason).toBe(
      'an MR scan, DWI by its file name "x_dwi.nii"; no model of that contrast alone is shipped',
    )
  })
})
