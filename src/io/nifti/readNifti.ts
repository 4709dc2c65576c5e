/**
 * NIfTI (1 and 2, .nii, .nii.gz, .hdr + .img) -> Volume. Pure TS over bytes: runs in the browser
 * (inside the scan parser worker) and in Node (training CLI) alike.
 */
import { gunzipSync } from 'fflate'
import { multiplyAffines, scalingAffine, affineColumnNorms, type Affine, type Vec3 } from '../../volume/affine'
import { guessModality, voxelCount, voxelTypeOf, type Modality, type Volume, type VoxelArray } from '../../volume/volume'
import { NIFTI_DATATYPES, NiftiFormatError, parseNiftiHeader, type NiftiHeader } from './header'

export interface NiftiReadOptions {
  /** Which volume of a 4-D (or higher) file to read; 0-based, default 0. */
  readonly frame?: number
  /** The voxels of a two-file pair (the `.img` next to a `.hdr`), possibly gzipped. */
  readonly imageBytes?: Uint8Array
  /** Modality when the caller knows it (e.g. from a DICOM sidecar); otherwise guessed from intensities. */
  readonly modality?: Modality
}

export interface NiftiReadResult {
  readonly volume: Volume
  readonly header: NiftiHeader
  /** Number of 3-D volumes in the file (product of dims 4..7). */
  readonly frameCount: number
  /** Which header transform became the affine: sform, qform, or none (pixdim scaling only). */
  readonly orientationSource: 'sform' | 'qform' | 'none'
}

const GZIP_MAGIC = [0x1f, 0x8b]

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]
}

/** Gunzips when the bytes are gzip; throws a NiftiFormatError naming the cause when they are damaged. */
export function maybeGunzip(bytes: Uint8Array): Uint8Array {
  if (!isGzip(bytes)) return bytes
  try {
    return gunzipSync(bytes)
  } catch (e) {
    throw new NiftiFormatError(`the gzip data is damaged or truncated (${(e as Error).message})`, { cause: e })
  }
}

export function readNifti(fileBytes: Uint8Array, name: string, options: NiftiReadOptions = {}): NiftiReadResult {
  const bytes = maybeGunzip(fileBytes)
  const header = parseNiftiHeader(bytes)
  if (!header.singleFile && !options.imageBytes) {
    throw new NiftiFormatError('this is the header of a two-file pair: drop the .hdr together with its .img')
  }
  const voxelBytes = options.imageBytes ? maybeGunzip(options.imageBytes) : bytes
  const voxelStart = options.imageBytes ? Math.max(0, header.voxOffset) : header.voxOffset

  const dims: Vec3 = [header.dim[1], header.dim[0] >= 2 ? header.dim[2] : 1, header.dim[0] >= 3 ? header.dim[3] : 1]
  const frameCount = frameCountOf(header)
  const frame = options.frame ?? 0
  if (!(Number.isInteger(frame) && frame >= 0 && frame < frameCount)) {
    throw new NiftiFormatError(`volume ${frame + 1} was asked for, the file has ${frameCount}`)
  }

  const { bytes: bytesPerVoxel } = NIFTI_DATATYPES[header.datatypeCode]
  const frameVoxels = voxelCount(dims)
  const needed = voxelStart + frameVoxels * frameCount * bytesPerVoxel
  if (frameVoxels > 2 ** 31 - 1 || needed > voxelBytes.length) {
    throw new NiftiFormatError(
      `the file is truncated or its dims are wrong: the header (dims ${header.dim.slice(1, header.dim[0] + 1).join('x')}, ` +
        `${bytesPerVoxel} bytes per voxel) needs ${needed} bytes, the file has ${voxelBytes.length}`,
    )
  }

  const { affine, source } = affineFromHeader(header)
  const spacing = spacingFromHeader(header, affine)
  const stored = decodeVoxels(voxelBytes, voxelStart + frame * frameVoxels * bytesPerVoxel, frameVoxels, header)
  const scaling = scalingOf(header)
  const data = scaling ? applyScaling(stored, scaling.slope, scaling.intercept) : stored
  const volume: Volume = {
    name,
    dims,
    spacing,
    affine,
    data,
    datatype: voxelTypeOf(data),
    scaling,
    modality: options.modality ?? guessModality(data),
  }
  return { volume, header, frameCount, orientationSource: source }
}

/** Number of 3-D volumes the header describes (the product of dims 4..7). */
export function frameCountOf(header: NiftiHeader): number {
  let frameCount = 1
  for (let i = 4; i <= header.dim[0]; i++) frameCount *= header.dim[i]
  return frameCount
}

/** Multiplier that turns the header's spatial unit into millimetres (NIFTI_UNITS_METER/MM/MICRON). */
function spatialUnitToMm(header: NiftiHeader): number {
  switch (header.xyztUnits & 0x07) {
    case 1:
      return 1000
    case 3:
      return 0.001
    default:
      return 1
  }
}

/** The voxel-to-world transform, preferring the sform, then the qform, then plain pixdim scaling. */
export function affineFromHeader(header: NiftiHeader): { affine: Affine; source: 'sform' | 'qform' | 'none' } {
  const unit = spatialUnitToMm(header)
  const toMm = scalingAffine([unit, unit, unit])
  if (header.sformCode > 0 && isUsable([header.srow[0], header.srow[1], header.srow[2], [0, 0, 0, 1]])) {
    return { affine: multiplyAffines(toMm, [header.srow[0], header.srow[1], header.srow[2], [0, 0, 0, 1]]), source: 'sform' }
  }
  if (header.qformCode > 0) {
    const q = quaternionAffine(header)
    if (isUsable(q)) return { affine: multiplyAffines(toMm, q), source: 'qform' }
  }
  const pix = [1, 2, 3].map((i) => Math.abs(header.pixdim[i]))
  if (!pix.every((p) => Number.isFinite(p) && p > 0)) throw invalidVoxelSize(header)
  return { affine: multiplyAffines(toMm, scalingAffine([pix[0], pix[1], pix[2]])), source: 'none' }
}

function isUsable(m: Affine): boolean {
  if (!m.flat().every(Number.isFinite)) return false
  return affineColumnNorms(m).every((n) => n > 1e-6)
}

/** NIfTI-1 "method 2": rotation from the quaternion (b, c, d), scaled by pixdim, qfac flipping k. */
function quaternionAffine(header: NiftiHeader): Affine {
  const [b, c, d] = header.quatern
  const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)))
  const qfac = header.pixdim[0] < 0 ? -1 : 1
  const [dx, dy, dz] = [header.pixdim[1], header.pixdim[2], header.pixdim[3] * qfac]
  const r = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ]
  const row = (i: number) => [r[i][0] * dx, r[i][1] * dy, r[i][2] * dz, header.qoffset[i]]
  return [row(0), row(1), row(2), [0, 0, 0, 1]]
}

/** Voxel size in mm: pixdim[1..3], or the affine's column lengths where pixdim is 0 or not a number. */
function spacingFromHeader(header: NiftiHeader, affine: Affine): Vec3 {
  const unit = spatialUnitToMm(header)
  const fromAffine = affineColumnNorms(affine)
  const spacing = [1, 2, 3].map((i, axis) => {
    const p = Math.abs(header.pixdim[i]) * unit
    return Number.isFinite(p) && p > 0 ? p : fromAffine[axis]
  })
  if (!spacing.every((s) => Number.isFinite(s) && s > 0)) throw invalidVoxelSize(header)
  return [spacing[0], spacing[1], spacing[2]]
}

function invalidVoxelSize(header: NiftiHeader): NiftiFormatError {
  return new NiftiFormatError(`voxel size (pixdim ${header.pixdim.slice(1, 4).join(', ')}) is zero or not a number`)
}

function scalingOf(header: NiftiHeader): { slope: number; intercept: number } | null {
  const { sclSlope: slope, sclInter: intercept } = header
  // NIfTI: a slope of 0 (or not finite) means "no scaling".
  if (!Number.isFinite(slope) || slope === 0) return null
  const inter = Number.isFinite(intercept) ? intercept : 0
  return slope === 1 && inter === 0 ? null : { slope, intercept: inter }
}

type StoredArray = VoxelArray | Float64Array

function decodeVoxels(bytes: Uint8Array, offset: number, count: number, header: NiftiHeader): VoxelArray {
  const { bytes: size } = NIFTI_DATATYPES[header.datatypeCode]
  // Copy into a fresh, aligned buffer (the source offset need not be a multiple of the voxel size).
  const raw = bytes.slice(offset, offset + count * size)
  const needsSwap = size > 1 && header.littleEndian !== hostIsLittleEndian()
  if (needsSwap) swapBytes(raw, size)
  const typed = typedView(raw.buffer, header.datatypeCode)
  return typed instanceof Float64Array ? Float32Array.from(typed) : replaceNaN(typed)
}

function typedView(buffer: ArrayBufferLike, code: number): StoredArray {
  switch (code) {
    case 2:
      return new Uint8Array(buffer)
    case 4:
      return new Int16Array(buffer)
    case 8:
      return new Int32Array(buffer)
    case 16:
      return new Float32Array(buffer)
    case 64:
      return new Float64Array(buffer)
    case 256:
      return new Int8Array(buffer)
    case 512:
      return new Uint16Array(buffer)
    case 768:
      return new Uint32Array(buffer)
    default:
      throw new NiftiFormatError(`unknown voxel datatype code ${code}`)
  }
}

/** Float voxels that are NaN (often used as "outside the brain") become 0 so ranges and models stay finite. */
function replaceNaN(data: VoxelArray): VoxelArray {
  if (data instanceof Float32Array) for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i])) data[i] = 0
  return data
}

function applyScaling(stored: VoxelArray, slope: number, intercept: number): Float32Array {
  const out = new Float32Array(stored.length)
  for (let i = 0; i < out.length; i++) out[i] = stored[i] * slope + intercept
  return out
}

function hostIsLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]
      bytes[a] = bytes[b]
      bytes[b] = t
    }
  }
}
