import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUNDLED_MODELS, bundledModelFor } from './bundledModels'

describe('bundled models', () => {
  it('each one the picker offers is in models/, with a card of its modality and a brain model that exists', () => {
    for (const bundled of BUNDLED_MODELS) {
      const dir = join('models', bundled.id)
      expect(existsSync(join(dir, 'model.json')), dir).toBe(true)
      const card = JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8'))
      expect(card.modality, dir).toBe(bundled.modality)
      if (card.brainMask) expect(existsSync(join(dir, card.brainMask.model, 'model.json')), dir).toBe(true)
    }
  })

  it('by default a scan gets the model of its modality: the general MR model for every MR contrast', () => {
    expect(bundledModelFor('CT').id).toBe('ct')
    expect(bundledModelFor('MR').id).toBe('mr')
    expect(bundledModelFor('unknown').id).toBe('mr')
  })
})
