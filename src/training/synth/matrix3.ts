/** 3 x 3 matrices (row-major) for the generator's affine maps. */
import type { Vec3 } from '../../volume/affine'

export type Matrix3 = readonly [number, number, number, number, number, number, number, number, number]

export const multiply3 = (a: Matrix3, b: Matrix3): Matrix3 => [
  a[0] * b[0] + a[1] * b[3] + a[2] * b[6], a[0] * b[1] + a[1] * b[4] + a[2] * b[7], a[0] * b[2] + a[1] * b[5] + a[2] * b[8],
  a[3] * b[0] + a[4] * b[3] + a[5] * b[6], a[3] * b[1] + a[4] * b[4] + a[5] * b[7], a[3] * b[2] + a[4] * b[5] + a[5] * b[8],
  a[6] * b[0] + a[7] * b[3] + a[8] * b[6], a[6] * b[1] + a[7] * b[4] + a[8] * b[7], a[6] * b[2] + a[7] * b[5] + a[8] * b[8],
]
export const apply3 = (m: Matrix3, v: Vec3): Vec3 => [m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2], m[6] * v[0] + m[7] * v[1] + m[8] * v[2]]
export const transpose3 = (m: Matrix3): Matrix3 => [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]]
export const diagonal3 = (d: Vec3): Matrix3 => [d[0], 0, 0, 0, d[1], 0, 0, 0, d[2]]

/** A rotation by angles (radians) about x, y and z in turn. */
export function rotation3(ax: number, ay: number, az: number): Matrix3 {
  const [cx, sx, cy, sy, cz, sz] = [Math.cos(ax), Math.sin(ax), Math.cos(ay), Math.sin(ay), Math.cos(az), Math.sin(az)]
  const rx: Matrix3 = [1, 0, 0, 0, cx, -sx, 0, sx, cx]
  const ry: Matrix3 = [cy, 0, sy, 0, 1, 0, -sy, 0, cy]
  const rz: Matrix3 = [cz, -sz, 0, sz, cz, 0, 0, 0, 1]
  return multiply3(rz, multiply3(ry, rx))
}

export const degrees = (d: number) => (d * Math.PI) / 180
