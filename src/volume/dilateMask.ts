/** Morphological dilation of a binary mask by a ball of a radius in mm, on a grid of any (anisotropic) spacing. */
import type { Vec3 } from './affine'

/** The six face neighbours [dx, dy, dz]: a mask voxel with one outside the mask is on its surface. */
const FACE_NEIGHBOURS = [[-1, 0, 0], [1, 0, 0], [0, -1, 0], [0, 1, 0], [0, 0, -1], [0, 0, 1]] as const

/**
 * 1 wherever a voxel lies within `radiusMm` (centre to centre, in mm) of a non-zero voxel of `mask`. Only voxels
 * on the mask's surface stamp the ball: the inside is covered already. [nx * ny * nz] -> a new array.
 */
export function dilateMask(mask: ArrayLike<number>, [nx, ny, nz]: Vec3, spacing: Vec3, radiusMm: number): Uint8Array {
  const out = new Uint8Array(nx * ny * nz)
  for (let i = 0; i < out.length; i++) out[i] = mask[i] ? 1 : 0
  const reach = spacing.map((s) => Math.floor(radiusMm / s)) as unknown as Vec3
  const ball: Array<readonly [number, number, number]> = []
  for (let dz = -reach[2]; dz <= reach[2]; dz++)
    for (let dy = -reach[1]; dy <= reach[1]; dy++)
      for (let dx = -reach[0]; dx <= reach[0]; dx++)
        if ((dx * spacing[0]) ** 2 + (dy * spacing[1]) ** 2 + (dz * spacing[2]) ** 2 <= radiusMm ** 2) ball.push([dx, dy, dz])
  const inside = (x: number, y: number, z: number) => x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (!mask[i]) continue
        const surface = FACE_NEIGHBOURS.some(([a, b, c]) => inside(x + a, y + b, z + c) && !mask[i + a + nx * (b + ny * c)])
        if (!surface) continue
        for (const [dx, dy, dz] of ball) if (inside(x + dx, y + dy, z + dz)) out[i + dx + nx * (dy + ny * dz)] = 1
      }
  return out
}
