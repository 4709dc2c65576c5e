/**
 * A chronic infarct on FLAIR (textbook radiology, ../shared/notes/SYNTHETIC_TRAINING.md): months after a
 * stroke the dead tissue has become a cavity of CSF, dark as CSF is on FLAIR, lined by a bright rim of
 * gliosis. The lesion mask covers both. A lesion narrower than twice the rim is all rim.
 *
 * Depth inside a lesion is counted in 1 mm erosions of its grid-A shape (6-neighbour): 1 on its surface
 * voxels, 2 one step in, and so on up to MAX_DEPTH_MM; 0 outside.
 */
import type { Random } from '../data/random'
import type { LesionShape } from './lesionBank'

const MAX_DEPTH_MM = 6

const depthFields = new WeakMap<LesionShape, Uint8Array>()

/** Depth (1 mm steps, capped at MAX_DEPTH_MM) of each voxel of the shape's box inside the lesion; worked out once per shape. */
export function lesionDepthField(shape: LesionShape): Uint8Array {
  let depth = depthFields.get(shape)
  if (depth) return depth
  const [nx, ny, nz] = shape.size
  depth = shape.voxels.slice()
  let inside = shape.voxels
  for (let step = 2; step <= MAX_DEPTH_MM; step++) {
    const eroded = new Uint8Array(inside.length)
    for (let z = 0, i = 0; z < nz; z++) {
      for (let y = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++, i++) {
          eroded[i] = inside[i] && x > 0 && x < nx - 1 && y > 0 && y < ny - 1 && z > 0 && z < nz - 1 &&
            inside[i - 1] && inside[i + 1] && inside[i - nx] && inside[i + nx] && inside[i - nx * ny] && inside[i + nx * ny] ? 1 : 0
          depth[i] += eroded[i]
        }
      }
    }
    inside = eroded
  }
  depthFields.set(shape, depth)
  return depth
}

export interface ChronicInfarct {
  /** Rim width (mm): deeper than this the lesion is cavity. */
  readonly rimMm: number
  /** The lesion's intensity at `depthMm` inside it (interpolated lesionDepthField): the rim's, then the cavity's. */
  valueAt(depthMm: number, rimValue: number, cavityValue: number): number
}

export function sampleChronicInfarct(random: Random): ChronicInfarct {
  const rimMm = random.uniform(1.5, MAX_DEPTH_MM - 1.5)
  return {
    rimMm,
    valueAt(depthMm, rimValue, cavityValue) {
      const cavity = Math.min(1, Math.max(0, depthMm - rimMm))
      return rimValue + cavity * (cavityValue - rimValue)
    },
  }
}
