import { describe, expect, it } from 'vitest'
import { createRandom } from '../data/random'
import { contrastsOnly } from '../../pipeline/modelCard'
import { mrContrastDescription, parseMrContrasts, sampleContrast, type ContrastName } from './contrast'

function drawn(named?: ReturnType<typeof parseMrContrasts>, randomShare = 0): Map<ContrastName, number> {
  const counts = new Map<ContrastName, number>()
  const random = createRandom(9)
  for (let i = 0; i < 3000; i++) {
    const { name } = sampleContrast('mr', random, undefined, randomShare, named)
    counts.set(name, (counts.get(name) ?? 0) + 1)
  }
  return counts
}

describe('MR contrasts drawn', () => {
  it('each named contrast equally often by default', () => {
    const counts = drawn()
    expect([...counts.keys()].sort()).toEqual(['adc', 'dwi', 'flair', 't1', 't2'])
    for (const n of counts.values()) expect(n / 3000).toBeGreaterThan(0.17) // 0.2 each
  })

  it('only those listed, a repeated one more often; random tissue means still at their share', () => {
    const counts = drawn(parseMrContrasts('t2,t2,flair'), 0.1)
    expect([...counts.keys()].sort()).toEqual(['flair', 'random', 't2'])
    expect(counts.get('t2')! / counts.get('flair')!).toBeGreaterThan(1.7) // 2 expected
    expect(counts.get('random')! / 3000).toBeGreaterThan(0.08)
    expect(counts.get('random')! / 3000).toBeLessThan(0.12)
  })

  it('an unknown name is refused by name', () => {
    expect(() => parseMrContrasts('t2,swi')).toThrow(/unknown MR contrast 'swi'/)
  })
})

describe("the card's contrast", () => {
  it('names only the contrasts a model was trained on', () => {
    expect(mrContrastDescription(parseMrContrasts('t1,t2,t2,flair,dwi,adc'), 0.1)).toBe('any MR contrast (trained on T1, T2, FLAIR, DWI, ADC-like and random contrasts)')
    expect(mrContrastDescription(parseMrContrasts('t2'), 0.1)).toBe('T2 scans only (trained on T2-like and random contrasts; other contrasts need another model)')
    expect(mrContrastDescription(parseMrContrasts('adc,dwi,adc'), 0)).toBe('DWI, ADC scans only (trained on DWI, ADC-like; other contrasts need another model)')
  })
})

describe("reading the card's contrast back", () => {
  it('gives the contrasts of a model for some only, and null for a model of every contrast', () => {
    expect(contrastsOnly(mrContrastDescription(parseMrContrasts('adc,dwi'), 0.1))).toEqual(['DWI', 'ADC'])
    expect(contrastsOnly(mrContrastDescription(parseMrContrasts('t1,t2,flair,dwi,adc'), 0.1))).toBeNull()
    expect(contrastsOnly('non-contrast CT')).toBeNull()
  })
})
