import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseModelCard, realScanSummary, type ModelCard } from './modelCard'

const base = parseModelCard(JSON.parse(readFileSync('models/mr/model-card.json', 'utf8'))) as ModelCard
const withReal = (realScans: ModelCard['metrics']['realScans']): ModelCard => ({ ...base, metrics: { ...base.metrics, realScans } })

describe('realScanSummary', () => {
  it('gives the Dice on each real stroke scan, what it marks on healthy heads, and the contrasts checked', () => {
    const card = withReal({
      scores: [
        { id: 'stroke-flair', contrast: 'FLAIR', dice: 0.512, predictedMl: 30, referenceMl: 32.5 },
        { id: 'stroke-t2', contrast: 'T2', dice: 0.05, predictedMl: 3, referenceMl: 37.9 },
        { id: 'healthy-t1', contrast: 'T1', dice: null, predictedMl: 4.4, referenceMl: null },
      ],
      notes: [],
    })
    expect(realScanSummary(card)).toBe('Real scans (expert masks): FLAIR Dice 0.51; T2 Dice 0.05; healthy heads: 4 mL marked on a T1. Checked on FLAIR, T2, T1.')
  })

  it('says plainly when a model was never checked on a real scan, or why not', () => {
    expect(realScanSummary(withReal(undefined))).toMatch(/never checked on a real scan/)
    expect(realScanSummary(withReal({ scores: [], notes: ['No real CT with a lesion mask was available.'] }))).toBe('Real scans: No real CT with a lesion mask was available.')
  })
})
