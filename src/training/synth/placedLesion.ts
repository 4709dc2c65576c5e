/**
 * A real lesion shape placed in a synthetic head: mirrored across the midline or not, rotated, scaled and shifted
 * (syntheticScan.ts draws one to three per scan), and the lesion fraction it gives at a head position.
 */
import type { Vec3 } from '../../volume/affine'
import { GRID_A_ORIGIN_INDEX } from '../data/mniGrid'
import type { Random } from '../data/random'
import { lesionCentre, lesionFractionAt, type LesionShape } from './lesionBank'
import { apply3, degrees, diagonal3, multiply3, rotation3, transpose3, type Matrix3 } from './matrix3'

/** A lesion shape placed in the head: head grid-A position q -> shape grid-A position m(A^-1 (q - c - d) + c). */
export interface PlacedLesion {
  readonly shape: LesionShape
  readonly mirrored: boolean
  /** The (mirrored) shape's centre c, and its shift d, in grid-A voxels. */
  readonly centre: Vec3
  readonly shift: Vec3
  readonly forward: Matrix3
  readonly inverse: Matrix3
}

export const mirrorX = (x: number) => 2 * GRID_A_ORIGIN_INDEX[0] - x // world x -> -x

/** How far (mm, each axis, at most) a lesion moves from where its mask puts it, unless the options say otherwise. */
export const DEFAULT_LESION_SHIFT_MM = 5

export function placeLesion(shape: LesionShape, random: Random, shiftMm: number): PlacedLesion {
  const mirrored = random.chance(0.5)
  const c = lesionCentre(shape)
  const centre: Vec3 = [mirrored ? mirrorX(c[0]) : c[0], c[1], c[2]]
  const rotation = rotation3(degrees(random.uniform(-10, 10)), degrees(random.uniform(-10, 10)), degrees(random.uniform(-15, 15)))
  const scales: Vec3 = [random.uniform(0.8, 1.25), random.uniform(0.8, 1.25), random.uniform(0.8, 1.25)]
  const forward = multiply3(rotation, diagonal3(scales))
  const inverse = multiply3(diagonal3(scales.map((s) => 1 / s) as unknown as Vec3), transpose3(rotation))
  const shift: Vec3 = [random.uniform(-shiftMm, shiftMm), random.uniform(-shiftMm, shiftMm), random.uniform(-shiftMm, shiftMm)]
  return { shape, mirrored, centre, shift, forward, inverse }
}

/** The lesion fraction at head grid-A position (x, y, z), or another field on the shape's box. */
export function lesionFraction(l: PlacedLesion, x: number, y: number, z: number, field?: ArrayLike<number>): number {
  const [u, v, w] = apply3(l.inverse, [x - l.centre[0] - l.shift[0], y - l.centre[1] - l.shift[1], z - l.centre[2] - l.shift[2]])
  const sx = u + l.centre[0]
  return lesionFractionAt(l.shape, l.mirrored ? mirrorX(sx) : sx, v + l.centre[1], w + l.centre[2], field)
}
