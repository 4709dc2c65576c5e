/**
 * Volume -> NIfTI-1 single file (little-endian, n+1), optionally gzipped. The sform carries the exact
 * affine; the qform carries its nearest rigid version (for tools that read only the qform).
 */
import { gzipSync } from 'fflate'
import type { Affine } from '../../volume/affine'
import type { Volume, VoxelType } from '../../volume/volume'
import { NIFTI1_HEADER_BYTES } from './header'

const DATATYPE_CODES: Readonly<Record<VoxelType, { code: number; bitpix: number }>> = {
  uint8: { code: 2, bitpix: 8 },
  int16: { code: 4, bitpix: 16 },
  int32: { code: 8, bitpix: 32 },
  float32: { code: 16, bitpix: 32 },
  int8: { code: 256, bitpix: 8 },
  uint16: { code: 512, bitpix: 16 },
  uint32: { code: 768, bitpix: 32 },
}

/** Header (348) + the 4-byte extension flag; the voxels start here. */
const VOX_OFFSET = NIFTI1_HEADER_BYTES + 4
const NIFTI_XFORM_SCANNER_ANAT = 1
const NIFTI_UNITS_MM_AND_SEC = 2 | 8

export interface NiftiWriteOptions {
  /** gzip the result (.nii.gz); default true. */
  readonly gzip?: boolean
  /** Up to 79 characters stored in the header's descrip field. */
  readonly description?: string
}

export function writeNifti(volume: Volume, options: NiftiWriteOptions = {}): Uint8Array {
  const { code, bitpix } = DATATYPE_CODES[volume.datatype]
  const voxelBytes = new Uint8Array(volume.data.buffer, volume.data.byteOffset, volume.data.byteLength)
  const out = new Uint8Array(VOX_OFFSET + voxelBytes.length)
  const view = new DataView(out.buffer)
  const le = true
  view.setInt32(0, NIFTI1_HEADER_BYTES, le)
  const dim = [3, volume.dims[0], volume.dims[1], volume.dims[2], 1, 1, 1, 1]
  dim.forEach((d, i) => view.setInt16(40 + 2 * i, d, le))
  view.setInt16(70, code, le)
  view.setInt16(72, bitpix, le)
  const { quatern, qoffset, qfac } = quaternionOf(volume.affine)
  const pixdim = [qfac, volume.spacing[0], volume.spacing[1], volume.spacing[2], 1, 1, 1, 1]
  pixdim.forEach((p, i) => view.setFloat32(76 + 4 * i, p, le))
  view.setFloat32(108, VOX_OFFSET, le)
  view.setFloat32(112, 1, le) // scl_slope: the data already holds real values
  view.setFloat32(116, 0, le) // scl_inter
  view.setUint8(123, NIFTI_UNITS_MM_AND_SEC)
  writeString(out, 148, (options.description ?? 'StrokeSeg').slice(0, 79))
  view.setInt16(252, NIFTI_XFORM_SCANNER_ANAT, le) // qform_code
  view.setInt16(254, NIFTI_XFORM_SCANNER_ANAT, le) // sform_code
  quatern.forEach((q, i) => view.setFloat32(256 + 4 * i, q, le))
  qoffset.forEach((q, i) => view.setFloat32(268 + 4 * i, q, le))
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) view.setFloat32(280 + 16 * r + 4 * c, volume.affine[r][c], le)
  writeString(out, 344, 'n+1')
  out.set(littleEndianBytes(voxelBytes, bitpix / 8), VOX_OFFSET)
  return (options.gzip ?? true) ? gzipSync(out, { level: 6 }) : out
}

function writeString(out: Uint8Array, offset: number, s: string): void {
  for (let i = 0; i < s.length; i++) out[offset + i] = s.charCodeAt(i) & 0x7f
}

function littleEndianBytes(bytes: Uint8Array, size: number): Uint8Array {
  const hostLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
  if (hostLittle || size === 1) return bytes
  const swapped = bytes.slice()
  for (let i = 0; i < swapped.length; i += size) swapped.subarray(i, i + size).reverse()
  return swapped
}

/**
 * The NIfTI quaternion of an affine's rotation (nifti_mat44_to_quatern): columns normalised,
 * a negative determinant folded into qfac = -1.
 */
export function quaternionOf(affine: Affine): {
  quatern: [number, number, number]
  qoffset: [number, number, number]
  qfac: 1 | -1
} {
  const col = (c: number) => {
    const v = [affine[0][c], affine[1][c], affine[2][c]]
    const n = Math.hypot(v[0], v[1], v[2]) || 1
    return v.map((x) => x / n)
  }
  const [x, y, z] = [col(0), col(1), col(2)]
  const det = x[0] * (y[1] * z[2] - y[2] * z[1]) - y[0] * (x[1] * z[2] - x[2] * z[1]) + z[0] * (x[1] * y[2] - x[2] * y[1])
  const qfac = det < 0 ? -1 : 1
  if (qfac < 0) for (let i = 0; i < 3; i++) z[i] = -z[i]
  // r[i][j]: row i, column j of the rotation.
  const r = [0, 1, 2].map((i) => [x[i], y[i], z[i]])
  let a = r[0][0] + r[1][1] + r[2][2] + 1
  let b: number, c: number, d: number
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a)
    b = (0.25 * (r[2][1] - r[1][2])) / a
    c = (0.25 * (r[0][2] - r[2][0])) / a
    d = (0.25 * (r[1][0] - r[0][1])) / a
  } else {
    const xd = 1 + r[0][0] - (r[1][1] + r[2][2])
    const yd = 1 + r[1][1] - (r[0][0] + r[2][2])
    const zd = 1 + r[2][2] - (r[0][0] + r[1][1])
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd)
      c = (0.25 * (r[0][1] + r[1][0])) / b
      d = (0.25 * (r[0][2] + r[2][0])) / b
      a = (0.25 * (r[2][1] - r[1][2])) / b
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd)
      b = (0.25 * (r[0][1] + r[1][0])) / c
      d = (0.25 * (r[1][2] + r[2][1])) / c
      a = (0.25 * (r[0][2] - r[2][0])) / c
    } else {
      d = 0.5 * Math.sqrt(zd)
      b = (0.25 * (r[0][2] + r[2][0])) / d
      c = (0.25 * (r[1][2] + r[2][1])) / d
      a = (0.25 * (r[1][0] - r[0][1])) / d
    }
    if (a < 0) [b, c, d] = [-b, -c, -d]
  }
  return { quatern: [b, c, d], qoffset: [affine[0][3], affine[1][3], affine[2][3]], qfac }
}
