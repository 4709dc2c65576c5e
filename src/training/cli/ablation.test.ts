import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ablationSection, ABLATION_ROWS, runAblation, upsertSection, type AblationOptions } from './ablation'

const work = mkdtempSync(join(tmpdir(), 'strokeseg-ablation-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('ablation report', () => {
  it('replaces the section with the same title and keeps the others', () => {
    const report = '# Ablation\n\n## a\n\nold a\n\n## b\n\nold b\n'
    expect(upsertSection(report, '## a\n\nnew a\n')).toBe('# Ablation\n\n## a\n\nnew a\n## b\n\nold b\n')
    expect(upsertSection(report, '## b\n\nnew b\n')).toBe('# Ablation\n\n## a\n\nold a\n\n## b\n\nnew b\n')
    expect(upsertSection(report, '## c\n\nc\n')).toBe(`${report.trimEnd()}\n\n## c\n\nc\n`)
  })

  it('gives mean ± sd over seeds', () => {
    const card = (dice: number, iou: number) => ({ metrics: { test: { dice, iou, cases: 3 } }, training: { bestEpoch: 2 } }) as never
    const section = ablationSection('t', [{ label: 'UNet++', cards: [card(0.5, 0.3), card(0.7, 0.5)] }], ['cmd'])
    expect(section).toContain('| UNet++ | 0.6000 ± 0.1414 | 0.4000 ± 0.1414 | 0.500, 0.700 | 3 | 2, 2 |')
  })
})

describe('npm run ablation', () => {
  it('trains the four rows of Table 2 on the same data, writes the table, and reuses finished rows', { timeout: 300_000 }, async () => {
    const options: AblationOptions = {
      kind: 'synthetic-t1',
      budgetName: 'tiny',
      budget: { subjects: 6, seeds: [1], train: ['--filters', '4,8,8,8,8', '--epochs', '1', '--steps-per-epoch', '1', '--batch', '2', '--size', '64', '--val-cases', '1'] },
      work,
      report: join(work, 'ABLATION.md'),
      jobs: 2,
      backend: 'wasm',
      masks: '',
      templates: '',
      command: 'test',
    }
    await runAblation(options)
    const report = readFileSync(options.report, 'utf8')
    for (const row of ABLATION_ROWS) expect(report).toMatch(new RegExp(`\\| ${row.label.replace(/[+()]/g, '\\$&')} \\| \\d\\.\\d{4} \\| \\d\\.\\d{4} \\|`))
    const cards = ABLATION_ROWS.map((row) => JSON.parse(readFileSync(join(work, 'synthetic-t1-tiny', `${row.id}-seed1`, 'model-card.json'), 'utf8')))
    expect(cards.map((c) => c.architecture.trainingAux)).toEqual(['none', 'simple', 'lffgm', 'lffgm'])
    // Identical data and test subjects for every row; only the auxiliary task and the Laplacian weight differ.
    expect(new Set(cards.map((c) => JSON.stringify(c.training.subjects))).size).toBe(1)
    expect(new Set(cards.map((c) => c.metrics.test.cases)).size).toBe(1)
    // A second run trains nothing (no model file is written again) and rewrites the same section in place.
    const modelFiles = ABLATION_ROWS.flatMap((row) => ['model.json', 'model-card.json'].map((f) => join(work, 'synthetic-t1-tiny', `${row.id}-seed1`, f)))
    const written = modelFiles.map((f) => statSync(f).mtimeMs)
    await runAblation(options)
    expect(modelFiles.map((f) => statSync(f).mtimeMs)).toEqual(written)
    expect(readFileSync(options.report, 'utf8').match(/## synthetic-t1, budget tiny/g)).toHaveLength(1)
  })
})
