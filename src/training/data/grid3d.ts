/**
 * Small operations on 3-D grids (x fastest) used to make training volumes: separable Gaussian blur, smooth
 * random fields, binary dilation and erosion.
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

/**
 * One 6-neighbour step of binary morphology on a 0/1 mask: 'dilate' sets every voxel with a set neighbour,
 * 'erode' clears every voxel with a clear neighbour (beyond the grid counts as clear for both).
 */
export function morphologyStep(mask: Uint8Array, dims: Vec3, operation: 'dilate' | 'erode'): Uint8Array {
  const [nx, ny, nz] = dims
  const keep = operation === 'dilate' ? 0 : 1 // the voxels a neighbour can flip
  const next = mask.slice()
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (mask[i] !== keep) continue
        const setNeighbours =
          (x > 0 ? mask[i - 1] : 0) + (x < nx - 1 ? mask[i + 1] : 0) + (y > 0 ? mask[i - nx] : 0) + (y < ny - 1 ? mask[i + nx] : 0) + (z > 0 ? mask[i - nx * ny] : 0) + (z < nz - 1 ? mask[i + nx * ny] : 0)
        if (operation === 'dilate' ? setNeighbours > 0 : setNeighbours < 6) next[i] = 1 - keep
      }
    }
  }
  return next
}

/** 6-neighbour dilation of a binary mask, `times` times. */
export function dilate(mask: Uint8Array, dims: Vec3, times: number): Uint8Array {
  for (let t = 0; t < times; t++) mask = morphologyStep(mask, dims, 'dilate')
  return mask
}
