/**
 * 4x4 voxel-to-world transforms (row-major, world = RAS+ millimetres, as NIfTI's sform).
 * Pure functions: no DOM, no tfjs.
 */

/** Row-major 4x4 matrix: `m[row][col]`; the last row is [0, 0, 0, 1]. */
export type Affine = readonly [readonly number[], readonly number[], readonly number[], readonly number[]]
export type Vec3 = readonly [number, number, number]

export function identityAffine(): Affine {
  return [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ]
}

/** A diagonal affine with the given voxel spacing and zero origin (NIfTI "method 1", no orientation). */
export function scalingAffine(spacing: Vec3): Affine {
  return [
    [spacing[0], 0, 0, 0],
    [0, spacing[1], 0, 0],
    [0, 0, spacing[2], 0],
    [0, 0, 0, 1],
  ]
}

/** world (mm) = affine * [i, j, k, 1] */
export function applyAffine(m: Affine, p: Vec3): Vec3 {
  return [
    m[0][0] * p[0] + m[0][1] * p[1] + m[0][2] * p[2] + m[0][3],
    m[1][0] * p[0] + m[1][1] * p[1] + m[1][2] * p[2] + m[1][3],
    m[2][0] * p[0] + m[2][1] * p[1] + m[2][2] * p[2] + m[2][3],
  ]
}

export function multiplyAffines(a: Affine, b: Affine): Affine {
  const out = [0, 1, 2, 3].map((r) =>
    [0, 1, 2, 3].map((c) => a[r][0] * b[0][c] + a[r][1] * b[1][c] + a[r][2] * b[2][c] + a[r][3] * b[3][c]),
  )
  return [out[0], out[1], out[2], out[3]]
}

/** Inverse of an affine transform (3x3 block inverted by cofactors). Throws when singular. */
export function invertAffine(m: Affine): Affine {
  const [a, b, c] = [m[0][0], m[0][1], m[0][2]]
  const [d, e, f] = [m[1][0], m[1][1], m[1][2]]
  const [g, h, i] = [m[2][0], m[2][1], m[2][2]]
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new Error('the voxel-to-world matrix is singular')
  const r = [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ]
  const t = [m[0][3], m[1][3], m[2][3]]
  const row = (k: number) => [r[k][0], r[k][1], r[k][2], -(r[k][0] * t[0] + r[k][1] * t[1] + r[k][2] * t[2])]
  return [row(0), row(1), row(2), [0, 0, 0, 1]]
}

/** Length of each voxel axis in world mm: the norms of the first three columns. */
export function affineColumnNorms(m: Affine): Vec3 {
  const norm = (c: number) => Math.hypot(m[0][c], m[1][c], m[2][c])
  return [norm(0), norm(1), norm(2)]
}

/**
 * Orientation code of the voxel axes, one letter per axis naming the world direction each axis
 * increases towards (e.g. 'RAS' for the NIfTI/MNI convention, 'LPS' for DICOM's default).
 */
export function orientationCode(m: Affine): string {
  const letters = [
    ['L', 'R'],
    ['P', 'A'],
    ['I', 'S'],
  ]
  let code = ''
  for (let c = 0; c < 3; c++) {
    const col = [m[0][c], m[1][c], m[2][c]]
    let best = 0
    for (let r = 1; r < 3; r++) if (Math.abs(col[r]) > Math.abs(col[best])) best = r
    code += letters[best][col[best] >= 0 ? 1 : 0]
  }
  return code
}
