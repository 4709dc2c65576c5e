/**
 * The tissue label maps of our real heads: the Gaussian mixture behind them, brain tissue where the brain masks
 * say, a real skull for Colin27 and drawn shells for a brain-only head, and CSF (not skull) in the ventricles
 * that the skull-stripped templates store as 0.
 */
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { generatorInputs } from '../../../testing/generatorInputs'
import { describeWithRealData } from '../../../testing/realData'
import { outsideSilhouette } from '../../volume/outsideSilhouette'
import { createRandom } from '../data/random'
import { DEFAULT_SHARED_DATA_DIR } from '../data/sharedPaths'
import { GRID_A_DIMS, onGridA } from '../data/mniGrid'
import { readNiftiFile } from '../io/niftiFiles'
import { fitGaussianMixture, HEAD_SOURCES, headOnGridA, isBrainLabel, LABEL, loadTissueLabelMaps, type TissueLabelMap } from './tissueLabels'

it('the Gaussian mixture finds three classes and orders them', () => {
  const random = createRandom(3)
  const values = Float64Array.from({ length: 30_000 }, (_, i) => random.normal([20, 60, 90][i % 3], 4))
  const mixture = fitGaussianMixture(values, 3)
  mixture.means.forEach((m, c) => expect(m).toBeCloseTo([20, 60, 90][c], 0))
  expect(mixture.mostProbable(25)).toBe(0)
  expect(mixture.mostProbable(75)).toBe(1)
  expect(mixture.boundary(0)).toBeGreaterThan(35)
  expect(mixture.boundary(0)).toBeLessThan(45)
})

describeWithRealData('the label maps of the real heads', () => {
  let heads: TissueLabelMap[]
  beforeAll(() => {
    heads = generatorInputs().heads
  }, 120_000)

  it("label maps: brain tissue only inside the brain mask, in sane proportions; Colin27's skull and scalp are its own", () => {
    const colin = heads.find((h) => h.name === 'colin27')!
    const brainMask = onGridA(readNiftiFile(join(DEFAULT_SHARED_DATA_DIR, 'anatomy/ch2bet.nii.gz')))
    let outside = 0
    colin.labels.forEach((l, i) => {
      if ((l === LABEL.csf || l === LABEL.grey || l === LABEL.white) && !(brainMask[i] > 0)) outside++
    })
    expect(outside).toBe(0)
    const ml = (l: number) => colin.counts[l] / 1000
    expect(ml(LABEL.grey) + ml(LABEL.white) + ml(LABEL.csf)).toBeGreaterThan(1200) // an adult brain, 1.2-1.9 L
    expect(ml(LABEL.grey) + ml(LABEL.white) + ml(LABEL.csf)).toBeLessThan(1900)
    expect(ml(LABEL.grey)).toBeGreaterThan(ml(LABEL.csf))
    expect(ml(LABEL.white)).toBeGreaterThan(ml(LABEL.csf))
    expect(ml(LABEL.bone)).toBeGreaterThan(200)
    expect(ml(LABEL.soft)).toBeGreaterThan(200)
    expect(colin.skull).toBe('real')
    // A corner of the grid is air; the grid's centre is brain.
    expect(colin.labels[0]).toBe(LABEL.air)
    const centre = Math.floor(GRID_A_DIMS[0] / 2) + GRID_A_DIMS[0] * (125 + GRID_A_DIMS[1] * 71) // world (0, 0, 0)
    expect([LABEL.csf, LABEL.grey, LABEL.white]).toContain(colin.labels[centre])
    // betsct1 is brain only: its skull is the drawn shells, outside them air.
    const bets = heads.find((h) => h.name === 'betsct1')!
    expect(bets.skull).toBe('synthetic')
    expect(bets.counts[LABEL.bone]).toBeGreaterThan(0)
  })

  it('label maps: what the brain encloses in a slice is brain (the templates store their ventricles as 0, outside their brain: CSF, not skull)', () => {
    for (const head of heads) {
      const brain = Uint8Array.from(head.labels, (l) => (isBrainLabel(l) ? 1 : 0))
      const outside = outsideSilhouette(brain, GRID_A_DIMS)
      const enclosedOther = brain.filter((inBrain, i) => !outside[i] && !inBrain).length
      expect(enclosedOther, head.name).toBe(0)
      // The lateral ventricles beside the midline at world z = 20 (grid A k = 91): CSF in every head.
      const [nx, ny] = GRID_A_DIMS
      const slice = head.labels.subarray(91 * nx * ny, 92 * nx * ny)
      let ventricle = 0
      for (let j = 125 - 30; j < 125 + 10; j++) for (let i = 90 - 12; i <= 90 + 12; i++) ventricle += slice[i + nx * j] === LABEL.csf ? 1 : 0
      expect(ventricle, head.name).toBeGreaterThan(100)
    }
  })
})

describeWithRealData('a head registered to MNI space (chris_t1, heads/derive_head.py)', () => {
  const chrisSource = HEAD_SOURCES.find((s) => s.name === 'chris-t1')!
  let chris: TissueLabelMap
  beforeAll(() => {
    chris = loadTissueLabelMaps(DEFAULT_SHARED_DATA_DIR, 'chris-t1')[0]
  }, 60_000)

  /** Pearson correlation of two grid-A volumes where `where` is non-zero. */
  function correlation(a: Float32Array, b: Float32Array, where: Float32Array): number {
    const inside = [...where.keys()].filter((i) => where[i] > 0)
    const mean = (v: Float32Array) => inside.reduce((s, i) => s + v[i], 0) / inside.length
    const [ma, mb] = [mean(a), mean(b)]
    let [ab, aa, bb] = [0, 0, 0]
    for (const i of inside) [ab, aa, bb] = [ab + (a[i] - ma) * (b[i] - mb), aa + (a[i] - ma) ** 2, bb + (b[i] - mb) ** 2]
    return ab / Math.sqrt(aa * bb)
  }

  it('its registration lines it up with Colin27 better than its own sform does; its brain is a brain, its skull its own', () => {
    const colinT1 = onGridA(readNiftiFile(join(DEFAULT_SHARED_DATA_DIR, 'anatomy/ch2.nii.gz')))
    const colinBrain = onGridA(readNiftiFile(join(DEFAULT_SHARED_DATA_DIR, 'anatomy/ch2bet.nii.gz')))
    const registered = headOnGridA(DEFAULT_SHARED_DATA_DIR, chrisSource).t1
    const byOwnSform = headOnGridA(DEFAULT_SHARED_DATA_DIR, { ...chrisSource, registered: undefined, brain: 'anatomy/ch2bet.nii.gz' }).t1
    const registeredFit = correlation(registered, colinT1, colinBrain)
    expect(registeredFit).toBeGreaterThan(correlation(byOwnSform, colinT1, colinBrain) + 0.05)
    // Its brain labels overlap Colin27's brain mask (the same outline after the affine, grown by at most 2 mm).
    let [both, either] = [0, 0]
    chris.labels.forEach((l, i) => {
      both += isBrainLabel(l) && colinBrain[i] > 0 ? 1 : 0
      either += isBrainLabel(l) || colinBrain[i] > 0 ? 1 : 0
    })
    expect(both / either).toBeGreaterThan(0.9)
    const ml = (l: number) => chris.counts[l] / 1000
    expect(ml(LABEL.grey) + ml(LABEL.white) + ml(LABEL.csf)).toBeGreaterThan(1200)
    expect(ml(LABEL.grey) + ml(LABEL.white) + ml(LABEL.csf)).toBeLessThan(1900)
    expect(ml(LABEL.grey)).toBeGreaterThan(ml(LABEL.csf))
    expect(chris.skull).toBe('real')
    expect(ml(LABEL.bone)).toBeGreaterThan(200)
    expect(ml(LABEL.soft)).toBeGreaterThan(200)
  })
})
