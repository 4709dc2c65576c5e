/**
 * The contrast-randomised generator on the real heads and real lesion shapes of ../shared (their label maps:
 * tissueLabels.test.ts): lesion shapes on grid A, mask roles that keep validation and benchmark masks out of training, determinism, lesions only inside the brain, and the intensities each mode promises (its training batches: sliceBatches.test.ts).
 */
import { beforeAll, expect, it } from 'vitest'
import { generatorInputs } from '../../../testing/generatorInputs'
import { describeWithRealData, LESION_MASKS_DIR } from '../../../testing/realData'
import { countNonZero } from '../../volume/volume'
import { createRandom } from '../data/random'
import { GRID_A_DIMS, onGridA } from '../data/mniGrid'
import { readNiftiFile } from '../io/niftiFiles'
import { coilLogGain } from './coilSensitivity'
import { LESION, type ContrastName } from './contrast'
import { lesionFiles, loadLesionShape, maskRole, type LesionShape } from './lesionBank'
import { MAX_LESION_OVERSHOOT } from './lesionAnatomy'
import { renderVolume } from './syntheticData'
import { HEAD_CENTRE_MM, sampleSyntheticScan, type AxialPlane, type SyntheticScanOptions } from './syntheticScan'
import { LABEL, type TissueLabelMap } from './tissueLabels'
import { periventricularBand } from './whiteMatterDisease'

describeWithRealData('the generator on real heads and real lesion shapes', () => {
  let heads: TissueLabelMap[]
  let shapes: LesionShape[]
  beforeAll(() => {
    ;({ heads, shapes } = generatorInputs())
  }, 120_000)

  it('lesion shapes land on grid A as the manifest says (SOOP: x flipped) and roles split the masks about 80/10/10', () => {
    const soop = lesionFiles(LESION_MASKS_DIR).find((f) => f.includes('soop_spm'))!
    const shape = loadLesionShape(soop)!
    const reference = onGridA(readNiftiFile(soop)) // the slow nearest-voxel resampling, for comparison
    expect(shape.count).toBe(countNonZero(reference))
    const [ox, oy, oz] = shape.origin
    const [sx, sy] = shape.size
    shape.voxels.forEach((v, i) => {
      if (!v) return
      const [x, y, z] = [ox + (i % sx), oy + (Math.floor(i / sx) % sy), oz + Math.floor(i / (sx * sy))]
      expect(reference[x + GRID_A_DIMS[0] * (y + GRID_A_DIMS[1] * z)]).toBe(1)
    })
    const roles = lesionFiles(LESION_MASKS_DIR).map(maskRole)
    const share = (r: string) => roles.filter((x) => x === r).length / roles.length
    expect(share('train')).toBeGreaterThan(0.75)
    expect(share('validation')).toBeGreaterThan(0.07)
    expect(share('benchmark')).toBeGreaterThan(0.07)
    expect(maskRole('/any/where/bwsrsub-1_lesion.nii.gz')).toBe(maskRole('/else/bwsrsub-1_lesion.nii.gz')) // by file name only
  })

  const plane: AxialPlane = { z: HEAD_CENTRE_MM[2] + 10, x0: -100, y0: -140, spacingMm: 2, columns: 100, rows: 124 }

  it('is deterministic: the same seed draws the same scan and the same pixels', () => {
    for (const mode of ['mr', 'ct'] as const) {
      const a = sampleSyntheticScan({ mode, heads, lesions: shapes }, createRandom(42))
      const b = sampleSyntheticScan({ mode, heads, lesions: shapes }, createRandom(42))
      const [ra, rb] = [a.renderPlane(plane, createRandom(7)), b.renderPlane(plane, createRandom(7))]
      expect(Buffer.from(ra.image.buffer).equals(Buffer.from(rb.image.buffer))).toBe(true)
      expect(Buffer.from(ra.mask).equals(Buffer.from(rb.mask))).toBe(true)
      const c = sampleSyntheticScan({ mode, heads, lesions: shapes }, createRandom(43)).renderPlane(plane, createRandom(7))
      expect(Buffer.from(ra.image.buffer).equals(Buffer.from(c.image.buffer))).toBe(false)
    }
  })

  /** Lesion pixels on slices through a lesion of 12 scans, each checked to be brain in the skull-stripped scan. */
  function lesionPixelsInsideBrain(lesionShiftMm?: number): number {
    let lesionPixels = 0
    for (let seed = 0; seed < 12; seed++) {
      const scan = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, lesionShiftMm }, createRandom(seed))
      Object.assign(scan.contrast, { noise: 0 })
      const z = scan.lesionPoint(createRandom(seed))![2]
      const rendered = scan.renderPlane({ ...plane, z }, createRandom(seed))
      const stripped = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, lesionShiftMm }, createRandom(seed))
      Object.assign(stripped.contrast, { skullStripped: true, noise: 0 }) // the same scan, its non-brain set to air
      const brainOnly = stripped.renderPlane({ ...plane, z }, createRandom(seed))
      rendered.mask.forEach((m, i) => {
        if (!m) return
        lesionPixels++
        expect(brainOnly.image[i]).toBeGreaterThan(0) // brain, not air
      })
    }
    return lesionPixels
  }

  it('puts lesions only inside the brain: a skull-stripped rendering keeps every lesion pixel', () => {
    expect(lesionPixelsInsideBrain()).toBeGreaterThan(100) // a slice through a lesion shows it
  })

  it('moves lesions as far as lesionShiftMm says (the same draws otherwise), still only inside the brain', () => {
    const moves = Array.from({ length: 12 }, (_, seed) => {
      const near = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes }, createRandom(seed)).lesionPoint(createRandom(1))!
      const far = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, lesionShiftMm: 25 }, createRandom(seed)).lesionPoint(createRandom(1))!
      return Math.hypot(...far.map((v, a) => v - near[a]))
    })
    // The shift grows from at most 5 to at most 25 mm per axis: it moves by up to 20 sqrt(3) mm (times the head's scaling).
    expect(Math.max(...moves)).toBeGreaterThan(12)
    expect(Math.max(...moves)).toBeLessThan(20 * Math.sqrt(3) * 1.15)
    expect(lesionPixelsInsideBrain(25)).toBeGreaterThan(100)
  })

  it('cuts scans to a tight field of view when asked: air and no lesion beyond a box around the head, the same scan inside it', () => {
    let cutScans = 0
    for (let seed = 0; seed < 16; seed++) {
      const whole = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes }, createRandom(seed))
      const tight = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, fieldOfViewShare: 0.5 }, createRandom(seed))
      const wide: AxialPlane = { z: HEAD_CENTRE_MM[2], x0: -128, y0: -146, spacingMm: 2, columns: 128, rows: 128 }
      const [a, b] = [whole.renderPlane(wide, createRandom(1)), tight.renderPlane(wide, createRandom(1))]
      const changed = a.image.filter((v, i) => v !== b.image[i]).length
      if (changed === 0) continue // this scan drew the whole head
      cutScans++
      const cut = b.image.map((v, i) => (v !== a.image[i] ? 1 : 0))
      cut.forEach((c, i) => c && expect(b.image[i]).toBe(0)) // what changed became air
      const [row, column] = [64, 64] // the head's centre is inside every field of view
      expect(cut[row * 128 + column]).toBe(0)
      expect(cut[0]).toBe(1) // and the corner of a 256 mm plane outside it
      b.mask.forEach((m, i) => m && expect(cut[i]).toBe(0))
    }
    expect(cutScans).toBeGreaterThan(2) // 5 of 16 with these seeds
    expect(cutScans).toBeLessThan(16)
  })

  it("a receive coil's sensitivity when asked (MR only): the same scan times the coil's gain", () => {
    const draw = (share: number, seed: number) => {
      const scan = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, coilShare: share }, createRandom(seed))
      Object.assign(scan.contrast, { noise: 0, gamma: 1 })
      return scan
    }
    const coils = Array.from({ length: 16 }, (_, seed) => draw(0.5, seed).coil)
    expect(coils.filter(Boolean).length).toBeGreaterThan(3) // 16 scans, half of them with a coil
    expect(coils.filter(Boolean).length).toBeLessThan(13)
    expect(sampleSyntheticScan({ mode: 'ct', heads, lesions: shapes, coilShare: 1 }, createRandom(1)).coil).toBeNull()
    const [plain, withCoil] = [draw(0, 3), draw(1, 3)]
    const coil = withCoil.coil!
    for (const z of [HEAD_CENTRE_MM[2], HEAD_CENTRE_MM[2] + 70]) {
      const wide: AxialPlane = { z, x0: -100, y0: -140, spacingMm: 2, columns: 100, rows: 124 }
      const [a, b] = [plain.renderPlane(wide, createRandom(1)), withCoil.renderPlane(wide, createRandom(1))]
      expect(Buffer.from(b.mask).equals(Buffer.from(a.mask))).toBe(true)
      let checked = 0
      a.image.forEach((v, i) => {
        if (v <= 0) return
        const [x, y] = [wide.x0 + (i % 100) * 2 - HEAD_CENTRE_MM[0], wide.y0 + Math.floor(i / 100) * 2 - HEAD_CENTRE_MM[1]]
        expect(b.image[i] / v).toBeCloseTo(Math.exp(coilLogGain(coil, x, y, z - HEAD_CENTRE_MM[2])), 4)
        checked++
      })
      expect(checked).toBeGreaterThan(1000) // the head
    }
  })

  it('chronic infarcts on FLAIR when asked: the same mask, a rim brighter than grey matter, the cavity inside it darkened to CSF', () => {
    const draw = (share: number) => {
      const scan = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, contrast: 'flair', chronicFlairShare: share }, createRandom(2))
      Object.assign(scan.contrast, { noise: 0, inPlaneBlurMm: 0, thicknessMm: 1, bias: 0, gamma: 1 })
      scan.contrast.means[LESION] = 1.1 * scan.contrast.means[LABEL.grey] // a dim lesion, as bright as cortex
      return scan
    }
    const [acute, chronic] = [draw(0), draw(1)]
    const plane: AxialPlane = { z: 0, x0: -100, y0: -142, spacingMm: 1, columns: 200, rows: 248 }
    const { gain, means } = chronic.contrast
    const rim: number[] = []
    let [lesionPixels, cavityPixels, changedOutside] = [0, 0, 0]
    for (const z of [-10, 0, 10, 20, 30]) {
      const [a, b] = [acute.renderPlane({ ...plane, z }, createRandom(1)), chronic.renderPlane({ ...plane, z }, createRandom(1))]
      expect(Buffer.from(b.mask).equals(Buffer.from(a.mask))).toBe(true)
      a.image.forEach((v, i) => {
        if (!a.mask[i]) return void (changedOutside += b.image[i] === v ? 0 : 1) // only the lesion's soft border
        lesionPixels++
        if (b.image[i] >= v) return void rim.push(b.image[i])
        cavityPixels++
        expect(b.image[i]).toBeGreaterThan(0.3 * gain * means[LABEL.csf]) // darkened towards CSF
      })
    }
    expect(changedOutside).toBeLessThan(0.5 * lesionPixels)
    expect(cavityPixels).toBeGreaterThan(0.1 * lesionPixels)
    expect(cavityPixels).toBeLessThan(0.95 * lesionPixels)
    rim.sort((x, y) => x - y)
    expect(rim[rim.length >> 1]).toBeGreaterThan(1.15 * gain * means[LABEL.grey]) // clearly brighter than cortex
  })

  it('lesions that show the anatomy they replace when asked (MR): the same mask, uneven, at most 1.3x the change of a flat lesion, CSF least', () => {
    const draw = (share: number, lesionStrength: number) => {
      const scan = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, contrast: 'dwi', lesionAnatomyShare: share }, createRandom(4))
      Object.assign(scan.contrast, { noise: 0, inPlaneBlurMm: 0, thicknessMm: 1, bias: 0, gamma: 1, lesionStrength })
      return scan
    }
    const [tissue, flat, showing] = [draw(0, 0), draw(0, 1), draw(1, 1)] // the same draws; `tissue` without the lesion
    expect([flat.lesionAnatomy, showing.lesionAnatomy !== null]).toEqual([null, true])
    expect(sampleSyntheticScan({ mode: 'ct', heads, lesions: shapes, lesionAnatomyShare: 1 }, createRandom(4)).lesionAnatomy).toBeNull()
    const { gain, means } = showing.contrast
    const csfLevel = gain * (means[LABEL.csf] + Math.min(means[LABEL.grey], means[LABEL.white])) / 2
    const share = { csf: [] as number[], parenchyma: [] as number[] } // of a flat lesion's change, inside the lesion
    const plane: AxialPlane = { z: 0, x0: -100, y0: -142, spacingMm: 1, columns: 200, rows: 248 }
    for (const z of [-10, 0, 10, 20, 30]) {
      const [t, f, s] = [tissue, flat, showing].map((scan) => scan.renderPlane({ ...plane, z }, createRandom(1)))
      expect(Buffer.from(s.mask).equals(Buffer.from(f.mask))).toBe(true) // the whole outline, sulci included
      t.image.forEach((v, i) => {
        const [flatChange, change] = [f.image[i] - v, s.image[i] - v]
        expect(change * flatChange).toBeGreaterThanOrEqual(0)
        expect(Math.abs(change)).toBeLessThanOrEqual(Math.abs(flatChange) * MAX_LESION_OVERSHOOT * 1.0001 + 1e-6)
        if (f.mask[i] && Math.abs(flatChange) > 0.1 * gain) (v < csfLevel ? share.csf : share.parenchyma).push(change / flatChange)
      })
    }
    const centile = (values: number[], q: number) => values.sort((a, b) => a - b)[Math.floor(q * (values.length - 1))]
    const median = (values: number[]) => centile(values, 0.5)
    expect(share.csf.length).toBeGreaterThan(50)
    expect(share.parenchyma.length).toBeGreaterThan(500)
    expect(median(share.parenchyma)).toBeGreaterThan(0.3) // a lesion still
    expect(median(share.parenchyma)).toBeLessThan(0.995) // but not flat: the anatomy shows
    expect(centile(share.parenchyma, 0.9) - centile(share.parenchyma, 0.1)).toBeGreaterThan(0.2) // uneven, as real lesions are
    expect(centile(share.parenchyma, 0.95)).toBeGreaterThan(1) // in places past the lesion's mean (cavitation, dense gliosis)
    expect(median(share.csf)).toBeLessThan(median(share.parenchyma)) // the sulci inside it change least
  })

  /** Mean intensity of lesion pixels and of the other brain pixels of one rendered volume. */
  function lesionAndTissue(mode: 'mr' | 'ct', contrast: ContrastName | undefined, seed: number) {
    const scan = sampleSyntheticScan({ mode, heads: heads.slice(0, 1), lesions: shapes, contrast }, createRandom(seed))
    Object.assign(scan.contrast, { skullStripped: false, noise: 0, bias: 0, thicknessMm: 2, inPlaneBlurMm: 0, gamma: 1, lesionStrength: 1 })
    const { image, mask } = renderVolume(scan, 'v', 2, createRandom(seed))
    const analysis = { lesion: [0, 0], tissue: [0, 0] }
    const tissueLow = mode === 'ct' ? 15 : 0.3 * scan.contrast.gain * Math.min(scan.contrast.means[LABEL.grey], scan.contrast.means[LABEL.white])
    const tissueHigh = mode === 'ct' ? 60 : Infinity
    for (let i = 0; i < image.data.length; i++) {
      const v = image.data[i]
      if (mask.data[i]) analysis.lesion = [analysis.lesion[0] + v, analysis.lesion[1] + 1]
      else if (v > tissueLow && v < tissueHigh) analysis.tissue = [analysis.tissue[0] + v, analysis.tissue[1] + 1]
    }
    expect(analysis.lesion[1]).toBeGreaterThan(50)
    return { lesion: analysis.lesion[0] / analysis.lesion[1], tissue: analysis.tissue[0] / analysis.tissue[1], scan }
  }

  it('CT: brain tissue in Hounsfield ranges, the infarct 2-15 HU below it', () => {
    for (let seed = 0; seed < 3; seed++) {
      const { lesion, tissue, scan } = lesionAndTissue('ct', undefined, seed)
      expect(tissue).toBeGreaterThan(18)
      expect(tissue).toBeLessThan(46)
      expect(tissue - lesion).toBeGreaterThan(0.5) // the drop, averaged over the lesion's soft border
      expect(tissue - lesion).toBeLessThan(scan.contrast.means[LESION] + 12) // no more than the drop (+ CSF/grey mix)
    }
  })

  it("T2, DWI and ADC scans with their acquisition's look when asked: the same head, lesions and mask, only the look drawn after", () => {
    const draw = (share: number, seed: number) => sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, contrast: 't2', acquisitionLookShare: share }, createRandom(seed))
    const [plain, looked, flair] = [draw(0, 7), draw(1, 7), sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, contrast: 'flair', acquisitionLookShare: 1 }, createRandom(7))]
    expect([plain.acquisitionLook, looked.acquisitionLook, flair.acquisitionLook]).toEqual([false, true, false]) // FLAIR and T1 keep their presets
    expect([looked.head, looked.lesionFiles, looked.contrast.means[LABEL.grey] / looked.contrast.means[LABEL.white] >= 1.25]).toEqual([plain.head, plain.lesionFiles, true])
    const plane: AxialPlane = { z: HEAD_CENTRE_MM[2] + 10, x0: -100, y0: -140, spacingMm: 2, columns: 100, rows: 124 }
    const [a, b] = [plain.renderPlane(plane, createRandom(1)), looked.renderPlane(plane, createRandom(1))]
    expect([Buffer.from(b.mask).equals(Buffer.from(a.mask)), Buffer.from(b.image.buffer).equals(Buffer.from(a.image.buffer))]).toEqual([true, false])
  })

  it('MR: FLAIR, T2 and DWI lesions are brighter than brain tissue, T1 and ADC lesions darker', () => {
    const brighter: ContrastName[] = ['flair', 't2', 'dwi']
    for (const contrast of [...brighter, 't1', 'adc'] as ContrastName[]) {
      const { lesion, tissue } = lesionAndTissue('mr', contrast, 5)
      if (brighter.includes(contrast)) expect(lesion, contrast).toBeGreaterThan(tissue)
      else expect(lesion, contrast).toBeLessThan(tissue)
    }
  })

  it('white-matter disease: unlabelled, on periventricular white matter only, brighter on FLAIR, darker on CT', () => {
    const colin = heads.filter((h) => h.name === 'colin27')
    const band = periventricularBand(colin[0])
    const bandMl = countNonZero(band) / 1000
    expect(bandMl).toBeGreaterThan(20) // a band around the ventricles, not the whole white matter
    expect(bandMl).toBeLessThan(colin[0].counts[LABEL.white] / 1000)
    band.forEach((b, i) => b && expect(colin[0].labels[i]).toBe(LABEL.white))
    for (const [mode, contrast, sign] of [['mr', 'flair', 1], ['ct', undefined, -1]] as const) {
      const draw = (share: number) => {
        const scan = sampleSyntheticScan({ mode, heads: colin, lesions: shapes, contrast, whiteMatterDiseaseShare: share }, createRandom(8))
        Object.assign(scan.contrast, { noise: 0 })
        return scan.renderPlane({ ...plane, z: 14 }, createRandom(3)) // through the lateral ventricles
      }
      const [healthy, diseased] = [draw(0), draw(1)]
      expect(Buffer.from(diseased.mask).equals(Buffer.from(healthy.mask))).toBe(true) // the mask is the stroke only
      let [changed, moved] = [0, 0]
      healthy.image.forEach((v, i) => {
        if (Math.abs(diseased.image[i] - v) < 1e-3 * Math.abs(v) + 1e-3) return
        changed++
        moved += Math.sign(diseased.image[i] - v)
      })
      expect(changed, mode).toBeGreaterThan(20)
      expect(changed, mode).toBeLessThan(0.25 * healthy.image.length)
      expect((sign * moved) / changed, mode).toBeGreaterThan(0.9)
    }
  })

  it('CT: the infarct and white-matter disease are drawn as far below their tissue as asked, from the same draws', () => {
    const colin = heads.filter((h) => h.name === 'colin27')
    const draw = (ranges: Pick<SyntheticScanOptions, 'ctLesionDropHu' | 'ctWhiteMatterDiseaseHu'>, share = 1) => {
      const scan = sampleSyntheticScan({ mode: 'ct', heads: colin, lesions: shapes, whiteMatterDiseaseShare: share, ...ranges }, createRandom(8))
      Object.assign(scan.contrast, { noise: 0, inPlaneBlurMm: 0, thicknessMm: 1 })
      return { scan, plane: scan.renderPlane({ ...plane, z: 14 }, createRandom(3)) }
    }
    const plain = draw({})
    const asked = draw({ ctLesionDropHu: [12, 12], ctWhiteMatterDiseaseHu: [9, 9] })
    expect([asked.scan.head, asked.scan.lesionFiles]).toEqual([plain.scan.head, plain.scan.lesionFiles])
    expect([plain.scan.contrast.means[LESION] >= 2 && plain.scan.contrast.means[LESION] <= 15, asked.scan.contrast.means[LESION]]).toEqual([true, 12])
    const healthy = draw({ ctLesionDropHu: [12, 12] }, 0).plane.image
    const largestDrop = (image: Float32Array) => Math.max(...Array.from(image, (v, i) => (asked.plane.mask[i] ? 0 : healthy[i] - v)))
    expect(largestDrop(asked.plane.image)).toBeGreaterThanOrEqual(8) // 9 HU where the disease is confluent, +-1 for rounding
    expect(largestDrop(asked.plane.image)).toBeLessThanOrEqual(10)
    expect(largestDrop(draw({ ctLesionDropHu: [12, 12] }).plane.image)).toBeLessThanOrEqual(7) // the default: 2-6 HU
  })
})
