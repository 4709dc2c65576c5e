import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ABLATION_BUDGETS, configOf, finishedScores, planRuns } from './ablationPlan'

const dir = mkdtempSync(join(tmpdir(), 'strokeseg-ablation-plan-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('ablation plan', () => {
  const runs = planRuns('synth-mr', ABLATION_BUDGETS.synth, join(dir, 'work'), join(dir, 'scores'), join(dir, 'work', 'validation'), 'wasm')

  it('trains plain UNet++ and the full method first, seed by seed, then the middle rows', () => {
    expect(runs.map((r) => `${r.row.id}-${r.seed}`)).toEqual([
      'unetpp-1', 'lffgm-lap-1', 'unetpp-2', 'lffgm-lap-2', 'unetpp-3', 'lffgm-lap-3',
      'simple-edge-1', 'lffgm-1', 'simple-edge-2', 'lffgm-2', 'simple-edge-3', 'lffgm-3',
    ])
  })

  it('reuses scores made in another folder or on another machine, not those of another recipe', () => {
    const [run] = runs
    const save = (config: object) => {
      mkdirSync(dirname(run.scores), { recursive: true })
      writeFileSync(run.scores, JSON.stringify({ config, test: { cases: [] }, real: null, bestEpoch: 1, trainSeconds: 1, history: [] }))
    }
    save({ ...configOf(run), data: '/elsewhere/validation', out: '/elsewhere/unetpp-seed1', masks: '/m', 'shared-data': '/s' })
    expect(finishedScores(run)).not.toBeNull()
    save({ ...configOf(run), lr: 0.01 })
    expect(finishedScores(run)).toBeNull()
  })
})
