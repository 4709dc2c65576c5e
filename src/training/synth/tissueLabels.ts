/**
 * Tissue label maps of our real heads (MNI templates, and heads registered to them: HeadSource.registered), on grid A of the lesion masks' MANIFEST (181x217x181,
 * 1 mm, x = i - 90, y = j - 125, z = k - 71), derived from each head's T1 and a brain mask by our own code:
 * - inside the brain mask: a 3-class Gaussian mixture on T1 intensity (EM, initialised at the 10th, 50th and
 *   90th percentiles), each voxel to its most probable class: CSF, grey matter, white matter;
 * - head: voxels brighter than a quarter of the brain's CSF/grey boundary, closed (dilated, then eroded, by
 *   3 mm) and with the holes of each axial slice filled, so that dark bone, which some templates store as 0,
 *   stays head; air is the rest;
 * - the rest of the head: voxels darker than the CSF/grey boundary are extra-cerebral CSF within 4 mm of the
 *   brain and bone beyond; brighter ones are soft tissue (scalp, muscle, fat).
 * Holes that the brain mask encloses in an axial slice are CSF: the skull-stripped templates store their ventricles'
 * and basal cisterns' darkest CSF as 0, outside their brain.
 * A brain-only head (betsct1, and the ICBM152 2009 template as shared, which is skull-stripped) gets shells
 * around its brain instead, by 6-neighbour dilation: extra-cerebral CSF 2 mm, bone 5 mm, soft tissue 4 mm,
 * then air: a plain skull, so that every head can be drawn as CT or as MR with skull.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { invertAffine, multiplyAffines, type Affine } from '../../volume/affine'
import type { Volume } from '../../volume/volume'
import { dilate } from '../data/grid3d'
import { GRID_A_DIMS, onGridA } from '../data/mniGrid'
import { readNiftiFile } from '../io/niftiFiles'
import { outsideSilhouette } from '../../volume/outsideSilhouette'

export const LABEL = { air: 0, csf: 1, grey: 2, white: 3, outerCsf: 4, bone: 5, soft: 6 } as const
export type TissueLabel = (typeof LABEL)[keyof typeof LABEL]
export const TISSUE_LABEL_COUNT = 7
export const LABEL_NAMES = ['air', 'CSF', 'grey matter', 'white matter', 'extra-cerebral CSF', 'bone', 'soft tissue'] as const
/** Brain parenchyma and its CSF: where lesions are pasted. */
export const isBrainLabel = (label: number) => label >= LABEL.csf && label <= LABEL.white

export interface TissueLabelMap {
  readonly name: string
  /** Grid A (GRID_A_DIMS); x fastest. */
  readonly labels: Uint8Array
  /** Where skull and scalp come from: the scan itself, or shells drawn around a brain-only head. */
  readonly skull: 'real' | 'synthetic'
  /** Voxels of each label. */
  readonly counts: readonly number[]
}

/** One of our heads: a T1 file and the file whose non-zero voxels are its brain, both relative to the data root. */
export interface HeadSource {
  readonly name: string
  readonly t1: string
  readonly brain: string
  readonly skull: 'real' | 'synthetic'
  /**
   * A head that is not in MNI space: `brain` is then relative to DERIVED_HEADS_DIR, and DERIVED_HEADS_DIR/NAME.json
   * holds the affine (t1WorldFromMni) that brings its T1 onto grid A; both written by heads/derive_head.py.
   */
  readonly registered?: true
}

/** The registrations and brain masks heads/derive_head.py made for heads that are not in MNI space. */
export const DERIVED_HEADS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'heads')

/** Relative to `../shared/data` (DEFAULT_SHARED_DATA_DIR). */
export const HEAD_SOURCES: readonly HeadSource[] = [
  { name: 'colin27', t1: 'anatomy/ch2.nii.gz', brain: 'anatomy/ch2bet.nii.gz', skull: 'real' },
  // Both brain-only: their non-zero voxels are the brain.
  { name: 'icbm152-2009', t1: 'real/mri_t1/MNI152_2009_template.nii.gz', brain: 'real/mri_t1/MNI152_2009_template.nii.gz', skull: 'synthetic' },
  { name: 'betsct1', t1: 'real/lesion/mni_template_lesions/betsct1_unsmooth.nii.gz', brain: 'real/lesion/mni_template_lesions/betsct1_unsmooth.nii.gz', skull: 'synthetic' },
  // One adult's own head (not a template: sharp sulci), with its skull; registered to Colin27.
  { name: 'chris-t1', t1: 'real/mri_t1/chris_t1.nii.gz', brain: 'chris-t1-brain.nii.gz', skull: 'real', registered: true },
]

/** The heads named (comma-separated; empty: all of HEAD_SOURCES), as label maps. */
export function loadTissueLabelMaps(dataRoot: string, names = ''): TissueLabelMap[] {
  const wanted = names.split(',').filter(Boolean)
  for (const n of wanted) if (!HEAD_SOURCES.some((s) => s.name === n)) throw new Error(`unknown head '${n}' (${HEAD_SOURCES.map((s) => s.name).join(', ')})`)
  const sources = wanted.length > 0 ? HEAD_SOURCES.filter((s) => wanted.includes(s.name)) : HEAD_SOURCES
  return sources.map((s) => {
    const { t1, brain } = headOnGridA(dataRoot, s)
    return tissueLabelMap(s.name, t1, brain, s.skull)
  })
}

/** A head's T1 and brain mask (1 inside) on grid A, a registered head's through its registration. */
export function headOnGridA(dataRoot: string, s: HeadSource): { t1: Float32Array; brain: Uint8Array } {
  const [t1Path, brainPath] = [join(dataRoot, s.t1), join(s.registered ? DERIVED_HEADS_DIR : dataRoot, s.brain)]
  for (const f of [t1Path, brainPath]) if (!existsSync(f)) throw new Error(`head ${s.name}: ${f} not found`)
  const t1Volume = readNiftiFile(t1Path)
  return {
    t1: onGridA(s.registered ? inMniSpace(t1Volume, registrationOf(s.name)) : t1Volume),
    brain: Uint8Array.from(onGridA(readNiftiFile(brainPath)), (v) => (v > 0 ? 1 : 0)),
  }
}

/** The affine from MNI (grid-A world) coordinates to a registered head's T1 world coordinates. */
function registrationOf(name: string): Affine {
  return (JSON.parse(readFileSync(join(DERIVED_HEADS_DIR, `${name}.json`), 'utf8')) as { t1WorldFromMni: Affine }).t1WorldFromMni
}

/** The volume with its voxels placed in MNI space: voxel -> T1 world -> MNI. */
function inMniSpace(volume: Volume, t1WorldFromMni: Affine): Volume {
  return { ...volume, affine: multiplyAffines(invertAffine(t1WorldFromMni), volume.affine) }
}

/** t1 and brain on grid A. */
export function tissueLabelMap(name: string, t1: Float32Array, brainMask: Uint8Array, skull: 'real' | 'synthetic'): TissueLabelMap {
  const inBrain: number[] = []
  for (let i = 0; i < t1.length; i++) if (brainMask[i]) inBrain.push(t1[i])
  if (inBrain.length === 0) throw new Error(`head ${name}: the brain mask is empty`)
  const mixture = fitGaussianMixture(Float64Array.from(inBrain), 3)
  const classOf = (v: number) => mixture.mostProbable(v) + LABEL.csf // sorted means: CSF < grey < white
  const csfGreyBoundary = mixture.boundary(0)
  const labels = new Uint8Array(t1.length)
  for (let i = 0; i < t1.length; i++) if (brainMask[i]) labels[i] = classOf(t1[i])
  // The skull-stripped templates store their ventricles' and cisterns' darkest CSF as 0, outside their brain:
  // without this, the shells below grew into them (bone inside the ventricles). Enclosed in a slice, it is CSF.
  const brain = enclosedHolesFilled(brainMask)
  for (let i = 0; i < t1.length; i++) if (brain[i] && !brainMask[i]) labels[i] = LABEL.csf
  if (skull === 'real') {
    const air = outsideHead(t1, 0.25 * csfGreyBoundary)
    const nearBrain = dilate(brain, GRID_A_DIMS, 4)
    for (let i = 0; i < t1.length; i++) {
      if (brain[i] || air[i]) continue
      labels[i] = t1[i] < csfGreyBoundary ? (nearBrain[i] ? LABEL.outerCsf : LABEL.bone) : LABEL.soft
    }
  } else {
    const csf = dilate(brain, GRID_A_DIMS, 2)
    const bone = dilate(csf, GRID_A_DIMS, 5)
    const soft = dilate(bone, GRID_A_DIMS, 4)
    for (let i = 0; i < t1.length; i++) {
      if (!brain[i]) labels[i] = csf[i] ? LABEL.outerCsf : bone[i] ? LABEL.bone : soft[i] ? LABEL.soft : LABEL.air
    }
  }
  const counts = new Array<number>(TISSUE_LABEL_COUNT).fill(0)
  for (const l of labels) counts[l]++
  return { name, labels, skull, counts }
}

export interface GaussianMixture {
  /** Ascending. */
  readonly means: readonly number[]
  readonly sds: readonly number[]
  readonly weights: readonly number[]
  mostProbable(value: number): number
  /** The value between class c and c + 1 where both are equally probable. */
  boundary(c: number): number
}

/** 1-D Gaussian mixture by EM (40 iterations), initialised at evenly spaced percentiles. */
export function fitGaussianMixture(values: Float64Array, classes: number): GaussianMixture {
  const sorted = values.slice().sort()
  let means = Array.from({ length: classes }, (_, c) => sorted[Math.floor(((c + 0.5) / classes) * (sorted.length - 1))])
  const spread = (sorted[sorted.length - 1] - sorted[0]) / (2 * classes) || 1
  let sds = means.map(() => spread)
  let weights = means.map(() => 1 / classes)
  const stride = Math.max(1, Math.floor(values.length / 200_000))
  const posterior = new Float64Array(classes)
  for (let iteration = 0; iteration < 40; iteration++) {
    const [w, s, ss] = [new Float64Array(classes), new Float64Array(classes), new Float64Array(classes)]
    for (let i = 0; i < values.length; i += stride) {
      const v = values[i]
      let total = 0
      for (let c = 0; c < classes; c++) total += posterior[c] = (weights[c] / sds[c]) * Math.exp(-0.5 * ((v - means[c]) / sds[c]) ** 2)
      if (total === 0) continue
      for (let c = 0; c < classes; c++) {
        const p = posterior[c] / total
        w[c] += p
        s[c] += p * v
        ss[c] += p * v * v
      }
    }
    const n = w.reduce((a, b) => a + b, 0)
    means = means.map((m, c) => (w[c] > 0 ? s[c] / w[c] : m))
    sds = sds.map((sd, c) => (w[c] > 0 ? Math.max(Math.sqrt(Math.max(ss[c] / w[c] - means[c] ** 2, 0)), 1e-3 * spread) : sd))
    weights = Array.from(w, (x) => x / n)
  }
  const order = means.map((_, c) => c).sort((a, b) => means[a] - means[b])
  ;[means, sds, weights] = [order.map((c) => means[c]), order.map((c) => sds[c]), order.map((c) => weights[c])]
  const density = (v: number, c: number) => (weights[c] / sds[c]) * Math.exp(-0.5 * ((v - means[c]) / sds[c]) ** 2)
  const mostProbable = (v: number) => {
    let best = 0
    for (let c = 1; c < classes; c++) if (density(v, c) > density(v, best)) best = c
    return best
  }
  const boundary = (c: number) => {
    let [low, high] = [means[c], means[c + 1]]
    for (let i = 0; i < 50; i++) {
      const mid = (low + high) / 2
      if (mostProbable(mid) <= c) low = mid
      else high = mid
    }
    return (low + high) / 2
  }
  return { means, sds, weights, mostProbable, boundary }
}

/** The mask with every hole that an axial slice of it encloses filled. */
function enclosedHolesFilled(mask: Uint8Array): Uint8Array {
  return outsideSilhouette(mask, GRID_A_DIMS).map((outside) => 1 - outside)
}

/** Air: the complement of the head (voxels above `threshold`, closed by 3 voxels, each axial slice's holes filled). */
function outsideHead(values: Float32Array, threshold: number): Uint8Array {
  const above = Uint8Array.from(values, (v) => (v > threshold ? 1 : 0))
  const dilated = dilate(above, GRID_A_DIMS, 3)
  const closed = dilate(dilated.map((v) => 1 - v), GRID_A_DIMS, 3).map((v) => 1 - v)
  return outsideSilhouette(closed, GRID_A_DIMS)
}
