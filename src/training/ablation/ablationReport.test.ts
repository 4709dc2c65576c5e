import { describe, expect, it } from 'vitest'
import type { RunScores } from './ablationPlan'
import { ablationSection, historyTable, pairedTable, scoreTable, upsertSection } from './ablationReport'
import { signedRankTest } from './signedRank'

/** A run's scores with these per-volume Dice values (cases c1, c2, ...). */
function run(dice: readonly number[], real: RunScores['real'] = null, validation: readonly number[] = []): RunScores {
  const cases = dice.map((d, i) => ({ id: `c${i + 1}`, contrast: null, dice: d, iou: d / 2, tp: 0, fp: 0, fn: 0, lesions: 2, lesionsDetected: 1, falsePositiveLesions: 0, predictedMl: 1, referenceMl: 1, referenceLesions: [{ ml: 0.4, found: true }, { ml: 0.6, found: false }] }))
  const meanDice = dice.reduce((a, b) => a + b, 0) / dice.length
  return {
    config: {},
    test: { perVolume: { meanDice, meanIou: meanDice / 2, scored: dice.length, bothEmpty: 0, total: { tp: 0, fp: 0, fn: 0 } }, lesionDetection: { lesions: 2 * dice.length, detected: dice.length }, cases },
    real,
    bestEpoch: 3,
    trainSeconds: 60,
    history: validation.map((v, e) => ({ epoch: e + 1, loss: 1, validationDice: v, seconds: 1 })),
  }
}

describe('ablation report', () => {
  it('replaces the section with the same title and keeps the others', () => {
    const report = '# Ablation\n\n## a\n\nold a\n\n## b\n\nold b\n'
    expect(upsertSection(report, '## a\n\nnew a\n')).toBe('# Ablation\n\n## a\n\nnew a\n## b\n\nold b\n')
    expect(upsertSection(report, '## b\n\nnew b\n')).toBe('# Ablation\n\n## a\n\nold a\n\n## b\n\nnew b\n')
    expect(upsertSection(report, '## c\n\nc\n')).toBe(`${report.trimEnd()}\n\n## c\n\nc\n`)
  })

  it('gives mean ± sd over seeds of each seed\'s mean Dice, lesions found and the real scans', () => {
    const real = (flair: number) => [{ id: 'stroke-flair', contrast: 'FLAIR', dice: flair, iou: 0, predictedMl: 1, referenceMl: 1, lesionsDetected: 1, lesions: 1, falsePositiveLesions: 0, headMl: 1 }]
    const table = scoreTable([{ label: 'UNet++', runs: [run([0.4, 0.6], real(0.1)), run([0.6, 0.8], real(0.3))] }])
    expect(table).toContain('| UNet++ | 0.6000 ± 0.1414 | 0.3000 ± 0.0707 | 4/8 (50 %) | 0.200 ± 0.141 | - | 0.500, 0.700 | 2 | 3, 3 |')
  })

  it('compares each row with plain UNet++ volume by volume within each seed', () => {
    const baseline = { label: 'UNet++', runs: [run([0.5, 0.5, 0.5]), run([0.2, 0.3, 0.4])] }
    const better = { label: 'better', runs: [run([0.6, 0.7, 0.5]), run([0.3, 0.2, 0.6])] }
    const differences = [0.1, 0.2, 0, 0.1, -0.1, 0.2]
    const p = signedRankTest(differences).p.toFixed(3)
    const mean = differences.reduce((a, b) => a + b, 0) / differences.length
    const perSeedSd = Math.abs(0.1 - 0.2 / 3) / Math.SQRT2 // the sd of two seed means 0.1 and 0.0667
    expect(pairedTable([baseline, better]).split('\n')[2]).toBe(`| better vs UNet++ | +${mean.toFixed(4)} | ${perSeedSd.toFixed(4)} | 4 / 1 | ${p} (5) |`)
  })

  it('compares each row from the third on with the row above it, after the comparisons with plain UNet++', () => {
    const rows = ['UNet++', 'edge', 'lffgm'].map((label, r) => ({ label, runs: [run([0.2 + 0.1 * r, 0.3 + 0.2 * r])] }))
    const lines = pairedTable(rows).split('\n').slice(2)
    expect(lines.map((line) => line.split(' | ')[0])).toEqual(['| edge vs UNet++', '| lffgm vs UNet++', '| lffgm vs edge'])
    expect(lines[2]).toContain('| lffgm vs edge | +0.1500 | - | 2 / 0 |')
  })

  it('writes what is scored of an interrupted ablation: pairs only the seeds both rows have, marked partial', () => {
    const baseline = { label: 'UNet++', runs: [run([0.5, 0.5], null, [0.1, 0.3]), run([0.2, 0.4], null, [0.2, 0.4]), null] }
    const method = { label: 'method', runs: [run([0.6, 0.7], null, [0.2, 0.5]), null, run([0.9, 0.9])] }
    expect(pairedTable([baseline, method]).split('\n')[2]).toBe(`| method vs UNet++ | +0.1500 | - | 2 / 0 | ${signedRankTest([0.1, 0.2]).p.toFixed(3)} (2) |`)
    expect(scoreTable([baseline, method]).split('\n')[3]).toContain('| 0.650, -, 0.900 | 2 | 3, -, 3 |')
    expect(historyTable([baseline, method]).split('\n').slice(2)).toEqual(['| UNet++ | 0.150 | 0.350 |', '| method | 0.200 | 0.500 |'])
    expect(ablationSection('t', [baseline, method], [], 1)).toContain('**Partial: 4 of 6 runs scored**')
  })
})
