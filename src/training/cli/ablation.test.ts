import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ABLATION_ROWS } from '../ablation/ablationPlan'
import { runAblation, type AblationOptions } from './ablation'

const work = mkdtempSync(join(tmpdir(), 'strokeseg-ablation-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('npm run ablation', () => {
  it('trains and scores the four rows of Table 2 on the same data, writes the tables, reuses what is done and resumes what is not', { timeout: 400_000 }, async () => {
    const options: AblationOptions = {
      kind: 'synthetic-t1',
      budgetName: 'tiny',
      budget: { subjects: 6, validation: 0, test: 0, seeds: [1], train: ['--filters', '4,8,8,8,8', '--epochs', '1', '--steps-per-epoch', '1', '--batch', '2', '--size', '64', '--val-cases', '1'] },
      work,
      scores: join(work, 'scores'),
      report: join(work, 'ABLATION.md'),
      jobs: 2,
      maxMinutes: 0,
      backend: 'wasm',
      skipReal: true,
      masks: '',
      sharedData: '',
      command: 'test',
    }
    const runDir = (row: (typeof ABLATION_ROWS)[number]) => join(work, 'synthetic-t1-tiny', `${row.id}-seed1`)
    const scoresOf = (row: (typeof ABLATION_ROWS)[number]) => join(work, 'scores', 'synthetic-t1-tiny', `${row.id}-seed1.json`)
    await runAblation(options)
    const report = readFileSync(options.report, 'utf8')
    for (const row of ABLATION_ROWS) expect(report).toMatch(new RegExp(`\\| ${row.label.replace(/[+()]/g, '\\$&')} \\| \\d\\.\\d{4} \\| \\d\\.\\d{4} \\| \\d+/\\d+`))
    expect(report).toContain('| UNet++ + LFFGM + consistency loss (the method) vs UNet++ + LFFGM | ')
    const cards = ABLATION_ROWS.map((row) => JSON.parse(readFileSync(join(runDir(row), 'model-card.json'), 'utf8')))
    expect(cards.map((c) => c.architecture.trainingAux)).toEqual(['none', 'simple', 'lffgm', 'lffgm'])
    // Identical data and test volumes for every row; only the auxiliary task and the Laplacian weight differ.
    expect(new Set(cards.map((c) => JSON.stringify(c.training.subjects))).size).toBe(1)
    const scores = ABLATION_ROWS.map((row) => JSON.parse(readFileSync(scoresOf(row), 'utf8')))
    expect(new Set(scores.map((s) => s.test.cases.map((c: { id: string }) => c.id).join())).size).toBe(1)

    // Again: nothing is trained or scored (no file is written again); the section is rewritten in place.
    const files = ABLATION_ROWS.flatMap((row) => [join(runDir(row), 'model.json'), scoresOf(row)])
    const written = files.map((f) => statSync(f).mtimeMs)
    await runAblation(options)
    expect(files.map((f) => statSync(f).mtimeMs)).toEqual(written)
    expect(readFileSync(options.report, 'utf8').match(/## synthetic-t1, budget tiny/g)).toHaveLength(1)

    // A run whose scores went is scored again without training; one whose checkpoint is short of its epochs resumes.
    const [first, second] = [runDir(ABLATION_ROWS[0]), runDir(ABLATION_ROWS[1])]
    rmSync(scoresOf(ABLATION_ROWS[0]))
    const statePath = join(second, 'checkpoint', 'state.json')
    writeFileSync(statePath, JSON.stringify({ ...JSON.parse(readFileSync(statePath, 'utf8')), epoch: 0, history: [] }))
    rmSync(scoresOf(ABLATION_ROWS[1]))
    const firstModel = statSync(join(first, 'model.json')).mtimeMs
    await runAblation(options)
    expect(statSync(join(first, 'model.json')).mtimeMs).toBe(firstModel)
    const resumed = JSON.parse(readFileSync(statePath, 'utf8'))
    expect([resumed.epoch, resumed.history.length]).toEqual([1, 1]) // the missing epoch was trained
    for (const row of ABLATION_ROWS.slice(0, 2)) expect(statSync(scoresOf(row)).isFile()).toBe(true)
  })
})
