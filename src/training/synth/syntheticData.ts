/**
 * Synthetic scans as the model meets them: whole volumes (validation and benchmark datasets, written by
 * make-data) and training batches of axial slices drawn on the fly at the model's spacing.
 *
 * Training slices are normalised as segmentation normalises the whole scan (the card's normalisation, whose
 * statistics come from the volume: here from a coarse rendering of the same scan, COARSE_MM), so that a slice
 * looks as it will at inference. Each scan serves several slices (in a pool that turns over), which keeps
 * synthesis a small part of a training step; the batch at (seed, step) depends on nothing else, so a resumed
 * run draws exactly the batches it would have drawn.
 */
import * as tf from '@tensorflow/tfjs'
import { analyzeIntensities, normalizedTensor, type IntensityMapping, type Normalization } from '../../pipeline/intensityNormalization'
import { movedLine, reflectedGrid, type Midline } from '../../pipeline/midline'
import { withContrastChannels } from '../../pipeline/predictSlices'
import type { NamedContrast } from '../../pipeline/scanContrast'
import type { Affine, Vec3 } from '../../volume/affine'
import type { VoxelArray, Volume } from '../../volume/volume'
import { createRandom, deriveSeed, type Random } from '../data/random'
import { namedContrastOf } from './contrast'
import { HEAD_CENTRE_MM, sampleSyntheticScan, type AxialPlane, type SyntheticScan, type SyntheticScanOptions } from './syntheticScan'

/** The box synthetic volumes cover around HEAD_CENTRE_MM (mm): the whole head with a margin. */
const HALF_EXTENT_MM = [100, 124, 86] as const

/** What the masks mark: the lesion (the stroke model's task) or the brain (a skull-stripping model's). */
export type SynthTarget = 'lesion' | 'brain'
export const SYNTH_TARGETS: readonly SynthTarget[] = ['lesion', 'brain']

export interface SyntheticVolume {
  readonly image: Volume
  /** The `target`'s mask. */
  readonly mask: Volume
  readonly scan: SyntheticScan
}

/**
 * The scan drawn as a volume: in-plane pixels of `spacingMm`, slices of its thickness every `sliceStepMm`
 * (default: the thickness, contiguous slices), with the mask of `target`.
 */
export function renderVolume(scan: SyntheticScan, name: string, spacingMm: number, random: Random, sliceStepMm = scan.contrast.thicknessMm, target: SynthTarget = 'lesion'): SyntheticVolume {
  const thickness = sliceStepMm
  const [columns, rows] = [Math.round((2 * HALF_EXTENT_MM[0]) / spacingMm), Math.round((2 * HALF_EXTENT_MM[1]) / spacingMm)]
  const slices = Math.round((2 * HALF_EXTENT_MM[2]) / thickness)
  const [x0, y0, z0] = [HEAD_CENTRE_MM[0] - (columns - 1) * spacingMm / 2, HEAD_CENTRE_MM[1] - (rows - 1) * spacingMm / 2, HEAD_CENTRE_MM[2] - (slices - 1) * thickness / 2]
  const ct = scan.contrast.mode === 'ct'
  const pixels = rows * columns
  const image = ct ? new Int16Array(pixels * slices) : new Float32Array(pixels * slices)
  const mask = new Uint8Array(pixels * slices)
  for (let k = 0; k < slices; k++) {
    const plane: AxialPlane = { z: z0 + k * thickness, x0, y0, spacingMm, columns, rows }
    const rendered = scan.renderPlane(plane, random)
    image.set(ct ? Int16Array.from(rendered.image, (v) => Math.max(-1024, Math.min(3071, v))) : rendered.image, k * pixels)
    mask.set(target === 'brain' ? rendered.brain : rendered.mask, k * pixels)
  }
  const affine: Affine = [[spacingMm, 0, 0, x0], [0, spacingMm, 0, y0], [0, 0, thickness, z0], [0, 0, 0, 1]]
  const base = { dims: [columns, rows, slices] as const, spacing: [spacingMm, spacingMm, thickness] as const, affine, scaling: null }
  return {
    image: ct ? { ...base, name, data: image, datatype: 'int16', modality: 'CT' } : { ...base, name, data: image, datatype: 'float32', modality: 'MR' },
    mask: { ...base, name: `${name}_mask`, data: mask, datatype: 'uint8', modality: 'unknown' },
    scan,
  }
}

/**
 * The volume cut to its scan's field of view (unchanged without one): the acquisition ends there, with no air
 * beyond it, as tight clinical scans and bounding-box exports do. Voxels whose centres lie inside the box stay.
 */
export function cropToFieldOfView(volume: SyntheticVolume): SyntheticVolume {
  const fov = volume.scan.fieldOfView
  if (!fov) return volume
  const { dims, affine } = volume.image // renderVolume's grid: axis-aligned, world = affine[a][a] * index + affine[a][3]
  const first = fov.map(([low], a) => Math.max(0, Math.ceil((low - affine[a][3]) / affine[a][a])))
  const last = fov.map(([, high], a) => Math.min(dims[a] - 1, Math.floor((high - affine[a][3]) / affine[a][a])))
  const size: Vec3 = [last[0] - first[0] + 1, last[1] - first[1] + 1, last[2] - first[2] + 1]
  const cropped = (source: Volume): Volume => {
    const data = new (source.data.constructor as new (length: number) => VoxelArray)(size[0] * size[1] * size[2])
    for (let k = 0, at = 0; k < size[2]; k++) {
      for (let j = 0; j < size[1]; j++) {
        const from = first[0] + dims[0] * (first[1] + j + dims[1] * (first[2] + k))
        for (let i = 0; i < size[0]; i++) data[at++] = source.data[from + i]
      }
    }
    const [x, y, z] = affine.slice(0, 3).map((row, a) => [row[0], row[1], row[2], row[3] + row[a] * first[a]])
    return { ...source, dims: size, data, affine: [x, y, z, affine[3]] }
  }
  return { image: cropped(volume.image), mask: cropped(volume.mask), scan: volume.scan }
}

export interface SliceSource extends SyntheticScanOptions {
  readonly seed: number
  readonly normalization: Normalization
  /** Training slice size (pixels) at spacingMm. */
  readonly size: number
  readonly spacingMm: number
  /** Share of slices drawn through a lesion. */
  readonly lesionFraction: number
  /** What the slices' masks mark (default the lesion). */
  readonly target?: SynthTarget
  /**
   * For a model told the scan's contrast: its contrast channels (predictSlices.ts), and the share of slices of a
   * named contrast told none, as for a scan whose files do not name it (random contrasts are never named).
   */
  readonly contrastChannels?: readonly NamedContrast[]
  readonly unnamedContrastShare?: number
  /** For a model with a mirror channel (midline.ts): each slice minus its reflection about the head's midline, drawn with MIRROR_JITTER. */
  readonly mirrorChannel?: boolean
}

/**
 * How far (sd) the midline a training slice is reflected about strays from the head's: segmentation finds the
 * midline from the scan (estimateMidline), to within about this on synthetic volumes (mirrorChannel.test.ts), and
 * the head's roll moves the real one from slice to slice.
 */
const MIRROR_JITTER = { degrees: 1.5, mm: 1.5 }

/** The plane reflected about `line` (world mm): the same pixels, each drawn at its mirror image. */
export function reflectedPlane(plane: AxialPlane, line: Midline): AxialPlane {
  const [ux, uy, vx, vy] = plane.axes ?? [1, 0, 0, 1]
  const { origin, u, v } = reflectedGrid(line, [plane.x0, plane.y0], [ux, uy], [vx, vy])
  return { ...plane, x0: origin[0], y0: origin[1], axes: [u[0], u[1], v[0], v[1]] }
}

/**
 * The grid (in-plane and between slices) of the rendering that gives a training scan's normalisation. Against
 * 6 mm, on 24 scans: the offset moves by 0.013 sd (median; 0.04 at most), the scale by 0.6 % (3 % at most),
 * and the rendering takes 18 ms instead of 110 (it was most of the synthesis).
 */
const COARSE_MM = 10

/** Scans in play at once, and how many slices each gives before the pool turns over. */
const POOL_SCANS = 16
const USES_PER_SCAN = 4

/**
 * Batches of normalised training slices: `batch(step, n)` -> images and masks [n, size, size, 1] (the caller
 * disposes them). Slice g = step * n + b comes from scan POOL_SCANS * generation + (g mod POOL_SCANS).
 */
export function createSliceBatches(source: SliceSource) {
  const pool = new Map<number, { scan: SyntheticScan; mapping: IntensityMapping }>()
  const scanFor = (id: number) => {
    let entry = pool.get(id)
    if (!entry) {
      const scan = sampleSyntheticScan(source, createRandom(deriveSeed(source.seed, 'scan', id)))
      const coarse = renderVolume(scan, `scan ${id}`, COARSE_MM, createRandom(deriveSeed(source.seed, 'coarse', id)), COARSE_MM)
      entry = { scan, mapping: analyzeIntensities(coarse.image, source.normalization).mapping }
      for (const old of pool.keys()) if (old < id - 2 * POOL_SCANS) pool.delete(old)
      pool.set(id, entry)
    }
    return entry
  }
  const { size, spacingMm } = source
  const slice = (g: number) => {
    const generation = Math.floor(g / (POOL_SCANS * USES_PER_SCAN))
    const { scan, mapping } = scanFor(generation * POOL_SCANS + (g % POOL_SCANS))
    const random = createRandom(deriveSeed(source.seed, 'slice', g))
    const throughLesion = random.chance(source.lesionFraction) ? scan.lesionPoint(random) : null
    // A slice through a lesion is centred near it; any other anywhere in the head's box.
    const centre = throughLesion
      ? [throughLesion[0] + random.uniform(-0.3, 0.3) * size * spacingMm, throughLesion[1] + random.uniform(-0.3, 0.3) * size * spacingMm, throughLesion[2]]
      : HEAD_CENTRE_MM.map((c, a) => c + random.uniform(-HALF_EXTENT_MM[a], HALF_EXTENT_MM[a]) * (a === 2 ? 0.95 : Math.max(0, 1 - (size * spacingMm) / (2 * HALF_EXTENT_MM[a]))))
    const half = ((size - 1) * spacingMm) / 2
    const plane: AxialPlane = {
      z: centre[2],
      x0: centre[0] - half,
      y0: centre[1] - half,
      spacingMm,
      columns: size,
      rows: size,
    }
    const { image, mask, brain } = scan.renderPlane(plane, random)
    // Drawn only for a model told the contrast, from a stream of its own: other runs' batches stay as they were.
    const told = channels.length > 0 && !createRandom(deriveSeed(source.seed, 'told', g)).chance(unnamedShare) ? namedContrastOf(scan.contrast.name) : null
    // Likewise the mirror: the same plane drawn about a midline near the head's, with noise of its own.
    const mirror = source.mirrorChannel ? mirrorOf(scan, plane, createRandom(deriveSeed(source.seed, 'mirror', g))) : null
    return { image, mirror, mask: source.target === 'brain' ? brain : mask, mapping, told }
  }
  const mirrorOf = (scan: SyntheticScan, plane: AxialPlane, random: Random) => {
    const midline = scan.midlineAt(plane.z)
    const line = movedLine(midline, midline.angle + (random.normal(0, MIRROR_JITTER.degrees) * Math.PI) / 180, random.normal(0, MIRROR_JITTER.mm))
    return scan.renderPlane(reflectedPlane(plane, line), random).image
  }
  const channels = source.contrastChannels ?? []
  const unnamedShare = source.unnamedContrastShare ?? 0
  return {
    /** images [n, size, size, 1 + mirror channel + contrast channels], masks [n, size, size, 1] */
    batch(step: number, n: number): { images: tf.Tensor4D; masks: tf.Tensor4D } {
      const slices = Array.from({ length: n }, (_, b) => slice(step * n + b))
      // The scan, then (a model with the mirror channel: midline.ts) the scan minus its mirror image. [1, size, size, 1 or 2]
      const scanChannels = ({ image, mirror, mapping }: (typeof slices)[number]): tf.Tensor4D => {
        const normalised = (pixels: Float32Array) => normalizedTensor(tf.tensor4d(pixels, [1, size, size, 1]), mapping)
        const scan = normalised(image)
        return mirror ? (tf.concat([scan, tf.sub(scan, normalised(mirror))], 3) as tf.Tensor4D) : scan
      }
      return tf.tidy(() => ({
        images: tf.concat(slices.map((s) => withContrastChannels(scanChannels(s), channels, s.told))) as tf.Tensor4D,
        masks: tf.tensor4d(Float32Array.from(slices.flatMap((s) => Array.from(s.mask))), [n, size, size, 1]),
      }))
    },
  }
}
