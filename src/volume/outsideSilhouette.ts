/**
 * The background around an object: the voxels outside `object` that reach the border of their slice (along
 * voxel axis 2) without crossing it. A hole inside (a dark ventricle or infarct cavity in a head) is not
 * background: it is enclosed in its slice.
 */
import type { Vec3 } from './affine'

/** 1 where a voxel is background around `object` (non-zero = object), per slice along axis 2. */
export function outsideSilhouette(object: ArrayLike<number>, [nx, ny, nz]: Vec3): Uint8Array {
  const outside = new Uint8Array(nx * ny * nz)
  const stack: number[] = []
  for (let z = 0; z < nz; z++) {
    const base = z * nx * ny
    const push = (x: number, y: number) => {
      const i = base + x + nx * y
      if (!outside[i] && !object[i]) {
        outside[i] = 1
        stack.push(i)
      }
    }
    for (let x = 0; x < nx; x++) {
      push(x, 0)
      push(x, ny - 1)
    }
    for (let y = 0; y < ny; y++) {
      push(0, y)
      push(nx - 1, y)
    }
    while (stack.length > 0) {
      const i = stack.pop()! - base
      const [x, y] = [i % nx, Math.floor(i / nx)]
      if (x > 0) push(x - 1, y)
      if (x < nx - 1) push(x + 1, y)
      if (y > 0) push(x, y - 1)
      if (y < ny - 1) push(x, y + 1)
    }
  }
  return outside
}
