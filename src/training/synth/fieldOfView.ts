/**
 * A tight field of view: the box around the head a clinical acquisition or a bounding-box export (SPM's) keeps,
 * sometimes cutting scalp, skull or the top of the head; outside it there is nothing.
 */
import type { Vec3 } from '../../volume/affine'
import type { Random } from '../data/random'

/** World box (mm) a scan was acquired in: [min, max] along x, y and z. */
export type FieldOfView = readonly [readonly [number, number], readonly [number, number], readonly [number, number]]

/** Half-widths (mm) of a tight field of view: across 70-95 (the skull ~75), front to back 84-112 (~100), up 65-90. */
export function sampleFieldOfView(random: Random, headCentreMm: Vec3): FieldOfView {
  const box = (centre: number, shift: number, halfMin: number, halfMax: number): [number, number] => {
    const [c, half] = [centre + random.uniform(-shift, shift), random.uniform(halfMin, halfMax)]
    return [c - half, c + half]
  }
  return [box(headCentreMm[0], 6, 70, 95), box(headCentreMm[1], 8, 84, 112), box(headCentreMm[2], 10, 65, 90)]
}

export function insideFieldOfView(fov: FieldOfView, x: number, y: number, z: number): boolean {
  return x >= fov[0][0] && x <= fov[0][1] && y >= fov[1][0] && y <= fov[1][1] && z >= fov[2][0] && z <= fov[2][1]
}
