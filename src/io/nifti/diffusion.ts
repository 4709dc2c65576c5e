/**
 * Diffusion-weighted series: a 4-D NIfTI whose volumes were acquired at the b-values of its `.bval` file
 * (FSL's and dcm2niix's convention). An acute stroke is read on the strongest weighting, not on the b = 0
 * volume that usually comes first (a T2-weighted image on which an acute infarct barely shows), so such a
 * series opens as its trace-weighted image: the geometric mean of the volumes at the highest b-value (one
 * per gradient direction; a single volume when the scanner stored the trace itself).
 * `readNiftiScan` is how the browser's parser worker and the Node CLIs open every NIfTI scan; pure TS over bytes.
 */
import { voxelTypeOf } from '../../volume/volume'
import { NiftiFormatError, parseNiftiHeader } from './header'
import { frameCountOf, maybeGunzip, readNifti, type NiftiReadOptions, type NiftiReadResult } from './readNifti'

/** Volumes within this share of the highest b-value count as acquired at it (dcm2niix rounds b per direction: 995, 1000, 1005). */
const SAME_B_SHARE = 0.9

export interface DiffusionReading {
  /** The b-value shown (s/mm^2), the volumes averaged into it (0-based), and every b-value of the file. */
  readonly b: number
  readonly frames: readonly number[]
  readonly bValues: readonly number[]
}

/** The b-values of a `.bval` file: numbers separated by white space; a clear error on anything else. */
export function parseBValues(text: string): number[] {
  const fields = text.trim().split(/\s+/).filter(Boolean)
  const bad = fields.find((f) => !(Number(f) >= 0))
  if (fields.length === 0 || bad !== undefined) throw new NiftiFormatError(`the .bval file is not a list of b-values${bad === undefined ? ' (it is empty)' : ` ('${bad}')`}`)
  return fields.map(Number)
}

export type ScanReading = NiftiReadResult & { diffusion: DiffusionReading | null }

/**
 * A scan as the app and the CLIs open it: with the b-values of a diffusion series, its trace-weighted image;
 * otherwise (no b-values, all b = 0, or a 3-D file) what readNifti reads, the first volume, with `diffusion: null`.
 * A `.bval` that lists another number of volumes than the file holds belongs to another scan: an error says so.
 */
export function readNiftiScan(fileBytes: Uint8Array, name: string, options: NiftiReadOptions & { readonly bValues?: readonly number[] } = {}): ScanReading {
  const { bValues, ...readOptions } = options
  const bytes = maybeGunzip(fileBytes) // once, not once per volume
  const firstVolume = () => ({ ...readNifti(bytes, name, readOptions), diffusion: null })
  const frameCount = frameCountOf(parseNiftiHeader(bytes))
  if (!bValues || frameCount === 1) return firstVolume()
  if (bValues.length !== frameCount) throw new NiftiFormatError(`its .bval lists ${bValues.length} b-values for ${frameCount} volumes: it belongs to another scan`)
  const b = Math.max(...bValues)
  if (b === 0) return firstVolume()
  const frames = bValues.flatMap((v, i) => (v >= SAME_B_SHARE * b ? [i] : []))
  const reads = frames.map((frame) => readNifti(bytes, name, { ...readOptions, frame }))
  const data = reads.length === 1 ? reads[0].volume.data : geometricMean(reads.map((r) => r.volume.data))
  const volume = { ...reads[0].volume, data, datatype: voxelTypeOf(data), modality: options.modality ?? 'MR' }
  return { ...reads[0], volume, diffusion: { b, frames, bValues: [...bValues] } }
}

/** Voxel-wise geometric mean (the trace of the diffusion-weighted images); 0 where any image is 0 or below. */
function geometricMean(images: readonly ArrayLike<number>[]): Float32Array {
  const mean = new Float32Array(images[0].length)
  for (let v = 0; v < mean.length; v++) {
    let logSum = 0
    let positive = true
    for (const image of images) {
      if (image[v] <= 0) positive = false
      else logSum += Math.log(image[v])
    }
    mean[v] = positive ? Math.exp(logSum / images.length) : 0
  }
  return mean
}

/** What the user is told: "diffusion-weighted, b-values 0, 1000 (4 volumes): the b = 1000 image, the geometric mean of its 3 volumes (the trace)". */
export function diffusionNote(d: DiffusionReading): string {
  const levels = [...new Set(d.bValues.map(Math.round))].sort((a, b) => a - b)
  const image = d.frames.length === 1 ? `volume ${d.frames[0] + 1}` : `the geometric mean of its ${d.frames.length} volumes (the trace)`
  return `diffusion-weighted, b-values ${levels.join(', ')} (${d.bValues.length} volumes): the b = ${Math.round(d.b)} image, ${image}`
}

/**
 * What the user is told about which image of the file was read: the diffusion image chosen (with where its b-values
 * came from, when given), or the first volume of a 4-D file, with how to add its b-values where the user can.
 */
export function readingNotes({ frameCount, diffusion }: Pick<ScanReading, 'frameCount' | 'diffusion'>, where: { bValuesFrom?: string; addBValues?: string } = {}): string[] {
  if (diffusion) return [where.bValuesFrom ? `${diffusionNote(diffusion)} (b-values from ${where.bValuesFrom})` : diffusionNote(diffusion)]
  if (frameCount === 1) return []
  return [`4-D file with ${frameCount} volumes: volume 1 read${where.addBValues ? ` (a diffusion series? ${where.addBValues} to see the highest b-value)` : ''}`]
}
