/**
 * DICOM series -> NIfTI files, through dcm2niix compiled to WASM (@niivue/dcm2niix, bundled by Vite;
 * it runs in its own worker, so conversion never blocks the page). Browser only.
 */
import { Dcm2niix } from '@niivue/dcm2niix'
import type { Modality } from '../../volume/volume'
import type { NamedBytes } from '../files/sortDroppedFiles'
import { parseBValues } from '../nifti/diffusion'

export interface ConvertedSeries {
  /** dcm2niix's output name, e.g. `input_Head_20010101_3_Tilt_1.nii`. */
  readonly name: string
  readonly nifti: Uint8Array
  readonly modality: Modality
  /** SeriesDescription, or ProtocolName, from the BIDS sidecar. */
  readonly description: string
  readonly seriesNumber: number | null
  /** ImageType from the sidecar, e.g. ['DERIVED', 'PRIMARY', 'DIFFUSION', 'ADC'] ([] when not given). */
  readonly imageType: readonly string[]
  /** Geometry dcm2niix found irregular ('gantry tilt', 'uneven slice spacing'); the slices are as acquired. */
  readonly irregularities: readonly string[]
  /** A diffusion series' b-values (dcm2niix's .bval beside it), one per volume. */
  readonly bValues?: readonly number[]
}

type FileWithPath = File & { _webkitRelativePath?: string }

/**
 * The longest a conversion may take: 20 s, and 1 s more per MB of input (the 28-file, 15 MB head CT converts in
 * a few seconds). dcm2niix can hang on a file it misreads (a Philips enhanced multi-frame MR did for minutes).
 */
export function conversionTimeLimitMs(files: readonly NamedBytes[]): number {
  return 20_000 + files.reduce((bytes, f) => bytes + f.bytes.byteLength, 0) / 1000
}

/** `work`, or a rejection that says what did not finish once `ms` have passed; `onTimeout` stops the work. */
export function settleWithin<T>(work: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout()
      reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s and was stopped`))
    }, ms)
  })
  return Promise.race([work, limit]).finally(() => clearTimeout(timer))
}

export async function convertDicom(files: readonly NamedBytes[]): Promise<ConvertedSeries[]> {
  const inputs = files.map((f) => {
    const file: FileWithPath = new File([f.bytes as BlobPart], f.name)
    file._webkitRelativePath = f.path || f.name
    return file
  })
  // One instance per conversion: a second run() on the same instance fails, and the worker must be ended.
  const dcm2niix = new Dcm2niix()
  const conversion = async () => {
    await dcm2niix.init()
    return pairWithSidecars(await dcm2niix.input(inputs).b('y').z('n').f('%s_%d').run())
  }
  try {
    const what = `dcm2niix on ${files.length === 1 ? files[0].name : `${files.length} files (${files[0]?.name}, ...)`}`
    return await settleWithin(conversion(), conversionTimeLimitMs(files), what, () => dcm2niix.worker?.terminate())
  } catch (e) {
    throw new Error(describeFailure(e, files.length), { cause: e })
  } finally {
    dcm2niix.worker?.terminate()
  }
}

/**
 * dcm2niix writes, beside a series with gantry tilt or uneven slice spacing, resampled copies named
 * `<base>_Tilt_1`, `<base>_Eq_1` or `<base>_Tilt_Eq_1` (tilt removed, equal spacing); only `<base>` gets a
 * JSON sidecar. StrokeSeg keeps `<base>`, the slices as acquired: the 2-D model segments native axial
 * slices, and a mask on them lies exactly on the DICOM images. What the copies reveal is told to the user.
 */
export function correctionsOf(niftiName: string): { base: string; corrections: string[] } {
  const stem = niftiName.replace(/\.nii$/i, '')
  const match = /((?:_Tilt|_Eq)+)_\d+$/i.exec(stem)
  if (!match) return { base: stem, corrections: [] }
  const corrections: string[] = []
  if (/_Tilt/i.test(match[1])) corrections.push('gantry tilt')
  if (/_Eq/i.test(match[1])) corrections.push('uneven slice spacing')
  return { base: stem.slice(0, match.index), corrections }
}

async function pairWithSidecars(outputs: File[]): Promise<ConvertedSeries[]> {
  const sidecars = new Map<string, Record<string, unknown>>()
  for (const f of outputs.filter((o) => o.name.endsWith('.json'))) {
    try {
      sidecars.set(f.name.replace(/\.json$/, ''), JSON.parse(await f.text()) as Record<string, unknown>)
    } catch {
      // A sidecar we cannot read only costs the modality and description.
    }
  }
  const bValues = new Map<string, number[]>()
  for (const f of outputs.filter((o) => o.name.endsWith('.bval'))) bValues.set(f.name.replace(/\.bval$/, ''), parseBValues(await f.text()))
  const asAcquired = new Map<string, File>()
  const reported = new Map<string, Set<string>>()
  for (const file of outputs.filter((o) => /\.nii$/i.test(o.name))) {
    const { base, corrections } = correctionsOf(file.name)
    if (corrections.length === 0) asAcquired.set(base, file)
    const found = reported.get(base) ?? new Set<string>()
    corrections.forEach((c) => found.add(c))
    reported.set(base, found)
  }
  const series: ConvertedSeries[] = []
  for (const [base, file] of asAcquired) {
    const sidecar = sidecars.get(base) ?? {}
    series.push({
      name: file.name,
      nifti: new Uint8Array(await file.arrayBuffer()),
      modality: sidecar.Modality === 'CT' ? 'CT' : sidecar.Modality === 'MR' ? 'MR' : 'unknown',
      description: String(sidecar.SeriesDescription ?? sidecar.ProtocolName ?? ''),
      seriesNumber: typeof sidecar.SeriesNumber === 'number' ? sidecar.SeriesNumber : null,
      imageType: Array.isArray(sidecar.ImageType) ? sidecar.ImageType.map(String) : [],
      irregularities: [...(reported.get(base) ?? [])],
      ...(bValues.has(base) && { bValues: bValues.get(base) }),
    })
  }
  if (series.length === 0) throw new Error('dcm2niix found no image it could convert')
  return series
}

function describeFailure(e: unknown, fileCount: number): string {
  const message = e instanceof Error ? e.message : String(e)
  if (/exit code 2/.test(message)) return `dcm2niix found no DICOM image it could read in ${fileCount} file(s)`
  if (/exit code/.test(message)) return `dcm2niix could not convert this DICOM (${message})`
  return message || 'dcm2niix could not convert this DICOM'
}
