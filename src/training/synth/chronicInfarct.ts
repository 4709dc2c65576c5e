/**
 * A chronic infarct on FLAIR (textbook radiology, ../shared/notes/SYNTHETIC_TRAINING.md): months after a
 * stroke the dead tissue has become a cavity of CSF, dark as CSF is on FLAIR, lined by a bright rim of
 * gliosis. The lesion mask covers both. A lesion narrower than twice the rim is all rim. The rim is drawn
 * clearly brighter than grey matter and at full lesion strength: a dark hollow lined by tissue only as bright
 * as cortex is what every sulcus looks like, and teaching that as a lesion taught the model to mark sulci.
 *
 * Depth inside a lesion is counted in 1 mm erosions of its grid-A shape (6-neighbour): 1 on its surface
 * voxels, 2 one step in, and so on up to MAX_DEPTH_MM; 0 outside.
 */
import { morphologyStep } from '../data/grid3d'
import type { Random } from '../data/random'
import type { LesionShape } from './lesionBank'

const MAX_DEPTH_MM = 6
/** The rim is at least this many times grey matter's mean. */
const RIM_OVER_GREY = 1.3
/** The lesion strength (share of the way from tissue to lesion value) of a chronic infarct, at least. */
export const CHRONIC_MIN_STRENGTH = 0.9

const depthFields = new WeakMap<LesionShape, Uint8Array>()

/** Depth (1 mm steps, capped at MAX_DEPTH_MM) of each voxel of the shape's box inside the lesion; worked out once per shape. */
export function lesionDepthField(shape: LesionShape): Uint8Array {
  let depth = depthFields.get(shape)
  if (depth) return depth
  depth = shape.voxels.slice()
  let inside = shape.voxels
  for (let step = 2; step <= MAX_DEPTH_MM; step++) {
    inside = morphologyStep(inside, shape.size, 'erode')
    inside.forEach((v, i) => (depth[i] += v))
  }
  depthFields.set(shape, depth)
  return depth
}

export interface ChronicInfarct {
  /** Rim width (mm): deeper than this the lesion is cavity. */
  readonly rimMm: number
  /**
   * The lesion's intensity at `depthMm` inside it (interpolated lesionDepthField): the rim's (the lesion value,
   * at least RIM_OVER_GREY x grey matter), then the cavity's.
   */
  valueAt(depthMm: number, lesionValue: number, greyValue: number, cavityValue: number): number
}

export function sampleChronicInfarct(random: Random): ChronicInfarct {
  const rimMm = random.uniform(1.5, MAX_DEPTH_MM - 1.5)
  return {
    rimMm,
    valueAt(depthMm, lesionValue, greyValue, cavityValue) {
      const rimValue = Math.max(lesionValue, RIM_OVER_GREY * greyValue)
      const cavity = Math.min(1, Math.max(0, depthMm - rimMm))
      return rimValue + cavity * (cavityValue - rimValue)
    },
  }
}
