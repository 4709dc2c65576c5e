/**
 * Small operations on 3-D float grids (x fastest) used to make training volumes: separable Gaussian blur and
 * smooth random fields.
 */
import type { Vec3 } from '../../volume/affine'
import type { Random } from './random'

export interface Grid {
  readonly dims: Vec3
  readonly values: Float32Array
}

export const gridIndex = (dims: Vec3, x: number, y: number, z: number) => x + dims[0] * (y + dims[1] * z)

/** Gaussian blur with sigma in voxels (each axis in turn; edges clamp). */
export function gaussianBlur(grid: Grid, sigma: number): Grid {
  if (sigma <= 0) return grid
  const radius = Math.ceil(2.5 * sigma)
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)))
  const total = kernel.reduce((a, b) => a + b, 0)
  const weights = kernel.map((k) => k / total)
  let values = grid.values
  const [nx, ny, nz] = grid.dims
  const strides = [1, nx, nx * ny]
  for (let axis = 0; axis < 3; axis++) {
    const out = new Float32Array(values.length)
    const n = grid.dims[axis]
    const stride = strides[axis]
    for (let z = 0; z < nz; z++) {
      for (let y = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++) {
          const position = [x, y, z][axis]
          const base = gridIndex(grid.dims, x, y, z) - position * stride
          let sum = 0
          for (let k = -radius; k <= radius; k++) {
            const p = Math.min(n - 1, Math.max(0, position + k))
            sum += weights[k + radius] * values[base + p * stride]
          }
          out[base + position * stride] = sum
        }
      }
    }
    values = out
  }
  return { dims: grid.dims, values }
}

/** A smooth random field with values roughly in [-1, 1]: blurred white noise, rescaled. */
export function smoothField(dims: Vec3, sigma: number, random: Random): Grid {
  const noise = new Float32Array(dims[0] * dims[1] * dims[2]).map(() => random.normal())
  const blurred = gaussianBlur({ dims, values: noise }, sigma)
  let peak = 1e-6
  for (const v of blurred.values) peak = Math.max(peak, Math.abs(v))
  return { dims, values: blurred.values.map((v) => v / peak) }
}
