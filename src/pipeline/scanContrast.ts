/**
 * Which MR contrast a scan is, read from what its files say about it: the DICOM image type, a diffusion series'
 * b-values, the series description, the file name (BIDS suffixes such as `_adc`, `_T2w`; scanner protocol names
 * such as `ep2d_diff_ADC`, `t2_tse_tra`, `T2_FLAIR`). Never from the intensities: a T2 scan and an ADC map look
 * alike to a model (both show CSF bright) while their lesions have opposite polarity, which is why the choice
 * matters (MODELS.md, session 48). What cannot be read stays unknown, and the scan gets the model for any contrast.
 */

/** The MR contrasts a scan's words can name. T2* covers gradient-echo and susceptibility-weighted scans (SWI). */
export type NamedContrast = 'T1' | 'T2' | 'T2*' | 'FLAIR' | 'DWI' | 'ADC'

export const NAMED_CONTRASTS: readonly NamedContrast[] = ['T1', 'T2', 'T2*', 'FLAIR', 'DWI', 'ADC']

export interface RecognisedContrast {
  readonly contrast: NamedContrast
  /** What said so, for the user: `its file name "sub-01_adc.nii.gz"`, `its DICOM image type (DERIVED\PRIMARY\ADC)`. */
  readonly source: string
}

/** What the opened files say about a scan; any of it may be missing. */
export interface ScanWords {
  /** The file name (NIfTI) or dcm2niix's output name. */
  readonly fileName?: string
  /** DICOM SeriesDescription (or ProtocolName). */
  readonly description?: string
  /** DICOM ImageType (0008,0008), e.g. ['DERIVED', 'PRIMARY', 'DIFFUSION', 'ADC']. */
  readonly imageType?: readonly string[]
  /** The b-value of the trace image a diffusion series opened as (io/nifti/diffusion.ts), or null. */
  readonly traceB?: number | null
}

/** The most reliable source first: the scanner's image type, the b-values, then words people typed. */
export function recogniseContrast(words: ScanWords): RecognisedContrast | null {
  const typed = words.imageType && contrastOfImageType(words.imageType)
  if (typed) return { contrast: typed, source: `its DICOM image type (${words.imageType!.join('\\')})` }
  if (words.traceB) return { contrast: 'DWI', source: `it opened as the trace image at b = ${words.traceB} s/mm²` }
  const described = words.description && contrastOfText(words.description)
  if (described) return { contrast: described, source: `its series description "${words.description}"` }
  const named = words.fileName && contrastOfText(words.fileName)
  if (named) return { contrast: named, source: `its file name "${words.fileName}"` }
  return null
}

/** ImageType values: Siemens, GE and Philips all write ADC for an ADC map; TRACEW or DIFFUSION for the DWI. */
export function contrastOfImageType(imageType: readonly string[]): NamedContrast | null {
  const values = new Set(imageType.map((v) => v.trim().toUpperCase()))
  if (values.has('ADC')) return 'ADC'
  if (values.has('FA') || values.has('TENSOR')) return null // tensor maps are no stroke contrast of ours
  if (values.has('TRACEW') || values.has('EADC') || values.has('DIFFUSION')) return 'DWI'
  return null
}

/**
 * A contrast named in free text (a file or series name), word by word: 'sub-01_ses-1_adc.nii.gz' -> ADC,
 * 'T2 FLAIR AX' -> FLAIR, 'ep2d_diff_3scan_trace' -> DWI, 't2_tse_tra' -> T2, 'T2*_GRE' -> T2*, 'swi' -> T2*,
 * 'MR_T1c' -> T1, 't2_spc_da-fl_sag' (dark fluid) -> FLAIR, 'eADC' (exponential ADC: lesions bright) -> DWI. A name that names two contrasts is read by the order below: ADC before DWI (an ADC map's
 * name often says 'diff'), FLAIR before T2 ('T2 FLAIR' is a FLAIR); 'T1 FLAIR' is a T1. Words that only contain
 * the letters (e.g. 'headcoil') do not count.
 */
export function contrastOfText(text: string): NamedContrast | null {
  const words = text.toLowerCase().split(/[^a-z0-9*]+/).filter(Boolean)
  const phrase = ` ${words.join(' ')} `
  const has = (pattern: RegExp) => words.some((w) => pattern.test(w))
  if (has(/^adc/) || has(/^dadc$/) || phrase.includes(' apparent diffusion ')) return 'ADC'
  const t1 = has(/^t1(w|c|ce|gd|post|pre)?$/) || has(/^(mprage|mp2rage|spgr|bravo|tfl3d|fspgr)$/)
  if (has(/flair|^tirm/) || phrase.includes(' dark fluid ') || phrase.includes(' da fl ') || has(/^darkfluid$/)) return t1 ? 'T1' : 'FLAIR'
  if (has(/^(diff|diffusion|trace|tracew|eadc|isodwi)$/) || has(/^dwi/) || has(/^b(500|800|1000|1500|2000)$/)) return 'DWI'
  if (has(/^t2(\*|s|star|gre|fl2d|ffe|hemo)$/) || has(/^(swi|swan|swip|medic|mpgr|hemo)$/) || phrase.includes(' t2 * ') || (has(/^t2/) && has(/^(gre|ffe|fl2d)$/))) return 'T2*'
  if (has(/^t2(w|tse|fse|space|blade|propeller)?$/)) return 'T2'
  if (t1) return 'T1'
  return null
}
