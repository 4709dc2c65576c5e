/**
 * NIfTI-1 and NIfTI-2 header parsing (both endiannesses), over plain bytes.
 * Field offsets follow nifti1.h and nifti2.h.
 */

export const NIFTI1_HEADER_BYTES = 348
export const NIFTI2_HEADER_BYTES = 540

/** NIfTI datatype codes this reader decodes, with their byte sizes. */
export const NIFTI_DATATYPES: Readonly<Record<number, { name: string; bytes: number }>> = {
  2: { name: 'uint8', bytes: 1 },
  4: { name: 'int16', bytes: 2 },
  8: { name: 'int32', bytes: 4 },
  16: { name: 'float32', bytes: 4 },
  64: { name: 'float64', bytes: 8 },
  256: { name: 'int8', bytes: 1 },
  512: { name: 'uint16', bytes: 2 },
  768: { name: 'uint32', bytes: 4 },
}

/** Datatype codes that exist in NIfTI but that a grey-level scan never uses; named for clear messages. */
const UNSUPPORTED_DATATYPES: Readonly<Record<number, string>> = {
  1: 'binary (1 bit)',
  32: 'complex64',
  128: 'RGB24',
  1024: 'int64',
  1280: 'uint64',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
}

export interface NiftiHeader {
  readonly version: 1 | 2
  readonly littleEndian: boolean
  /** 'n+1'/'n+2' (image in the same file) or 'ni1'/'ni2' (image in a separate .img file). */
  readonly singleFile: boolean
  /** dim[0..7] as stored: dim[0] is the number of dimensions. */
  readonly dim: readonly number[]
  /** pixdim[0..7]: pixdim[0] is qfac, pixdim[1..3] the voxel size. */
  readonly pixdim: readonly number[]
  readonly datatypeCode: number
  readonly bitpix: number
  readonly voxOffset: number
  readonly sclSlope: number
  readonly sclInter: number
  readonly xyztUnits: number
  readonly qformCode: number
  readonly sformCode: number
  /** quatern_b, quatern_c, quatern_d */
  readonly quatern: readonly [number, number, number]
  /** qoffset_x, qoffset_y, qoffset_z */
  readonly qoffset: readonly [number, number, number]
  /** srow_x, srow_y, srow_z */
  readonly srow: readonly [readonly number[], readonly number[], readonly number[]]
  readonly descrip: string
}

export class NiftiFormatError extends Error {
  override name = 'NiftiFormatError'
}

/** NIfTI version when `bytes` starts with a NIfTI-1 or NIfTI-2 header (either endianness), else null. */
export function niftiVersionOf(bytes: Uint8Array): 1 | 2 | null {
  if (bytes.length < 4) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (const le of [true, false]) {
    const size = view.getInt32(0, le)
    if (size === NIFTI1_HEADER_BYTES && bytes.length >= NIFTI1_HEADER_BYTES) return 1
    if (size === NIFTI2_HEADER_BYTES && bytes.length >= NIFTI2_HEADER_BYTES) return 2
  }
  return null
}

export function parseNiftiHeader(bytes: Uint8Array): NiftiHeader {
  const version = niftiVersionOf(bytes)
  if (version === null) {
    throw new NiftiFormatError(
      bytes.length < NIFTI1_HEADER_BYTES
        ? `too short for a NIfTI header (${bytes.length} bytes, a header needs ${NIFTI1_HEADER_BYTES})`
        : 'not a NIfTI file (the first 4 bytes are neither 348 nor 540)',
    )
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const expected = version === 1 ? NIFTI1_HEADER_BYTES : NIFTI2_HEADER_BYTES
  const littleEndian = view.getInt32(0, true) === expected
  const header = version === 1 ? parseNifti1(view, littleEndian) : parseNifti2(view, littleEndian)
  validateHeader(header)
  return header
}

function readString(view: DataView, offset: number, length: number): string {
  let s = ''
  for (let i = 0; i < length; i++) {
    const c = view.getUint8(offset + i)
    if (c === 0) break
    s += String.fromCharCode(c)
  }
  return s
}

function parseNifti1(view: DataView, le: boolean): NiftiHeader {
  const i16 = (o: number) => view.getInt16(o, le)
  const f32 = (o: number) => view.getFloat32(o, le)
  const magic = readString(view, 344, 4)
  if (magic !== 'n+1' && magic !== 'ni1') {
    throw new NiftiFormatError(`NIfTI-1 magic is "${magic}", expected "n+1" or "ni1" (ANALYZE 7.5 files are not supported)`)
  }
  return {
    version: 1,
    littleEndian: le,
    singleFile: magic === 'n+1',
    dim: Array.from({ length: 8 }, (_, i) => i16(40 + 2 * i)),
    pixdim: Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i)),
    datatypeCode: i16(70),
    bitpix: i16(72),
    voxOffset: f32(108),
    sclSlope: f32(112),
    sclInter: f32(116),
    xyztUnits: view.getUint8(123),
    qformCode: i16(252),
    sformCode: i16(254),
    quatern: [f32(256), f32(260), f32(264)],
    qoffset: [f32(268), f32(272), f32(276)],
    srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f32(280 + 16 * r + 4 * c))) as unknown as NiftiHeader['srow'],
    descrip: readString(view, 148, 80),
  }
}

function parseNifti2(view: DataView, le: boolean): NiftiHeader {
  const i64 = (o: number) => Number(view.getBigInt64(o, le))
  const f64 = (o: number) => view.getFloat64(o, le)
  const magic = readString(view, 4, 4)
  if (magic !== 'n+2' && magic !== 'ni2') {
    throw new NiftiFormatError(`NIfTI-2 magic is "${magic}", expected "n+2" or "ni2"`)
  }
  return {
    version: 2,
    littleEndian: le,
    singleFile: magic === 'n+2',
    dim: Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i)),
    pixdim: Array.from({ length: 8 }, (_, i) => f64(104 + 8 * i)),
    datatypeCode: view.getInt16(12, le),
    bitpix: view.getInt16(14, le),
    voxOffset: i64(168),
    sclSlope: f64(176),
    sclInter: f64(184),
    xyztUnits: view.getInt32(500, le),
    qformCode: view.getInt32(344, le),
    sformCode: view.getInt32(348, le),
    quatern: [f64(352), f64(360), f64(368)],
    qoffset: [f64(376), f64(384), f64(392)],
    srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f64(400 + 32 * r + 8 * c))) as unknown as NiftiHeader['srow'],
    descrip: readString(view, 240, 80),
  }
}

function validateHeader(h: NiftiHeader): void {
  const ndim = h.dim[0]
  if (!(ndim >= 1 && ndim <= 7)) throw new NiftiFormatError(`dim[0] (number of dimensions) is ${ndim}, must be 1 to 7`)
  for (let i = 1; i <= ndim; i++) {
    if (!(h.dim[i] >= 1)) throw new NiftiFormatError(`dim[${i}] is ${h.dim[i]}: every dimension needs at least 1 voxel`)
  }
  if (!(h.datatypeCode in NIFTI_DATATYPES)) {
    const known = UNSUPPORTED_DATATYPES[h.datatypeCode]
    throw new NiftiFormatError(
      known
        ? `voxel datatype ${known} (code ${h.datatypeCode}) is not supported: StrokeSeg reads grey-level scans`
        : `unknown voxel datatype code ${h.datatypeCode}`,
    )
  }
  if (h.singleFile && !(h.voxOffset >= (h.version === 1 ? NIFTI1_HEADER_BYTES : NIFTI2_HEADER_BYTES))) {
    throw new NiftiFormatError(`vox_offset is ${h.voxOffset}: the voxels cannot start inside the header`)
  }
}
