/**
 * Lesion-wise detection by lesion size: of the reference lesions in each volume band, how many the prediction
 * touched. A mean Dice is ruled by the large lesions; this says which sizes a model misses (on a 2 mm grid a
 * 0.5 mL lesion is ~60 voxels of the model's input, so the smallest bands show what a finer grid would buy).
 */

/** One reference lesion: its volume and whether any predicted voxel touched it. */
export interface ReferenceLesion {
  readonly ml: number
  readonly found: boolean
}

/** Upper edges (mL) of the size bands; the last band is open above. */
export const LESION_SIZE_BANDS_ML = [0.5, 2, 10, 50] as const

export interface SizeBandDetection {
  /** e.g. 'under 0.5 mL', '0.5-2 mL', '50 mL and over' */
  readonly band: string
  readonly lesions: number
  readonly found: number
}

/** The reference lesions of all `cases`, counted per size band (every band listed, empty ones too). */
export function detectionBySize(cases: ReadonlyArray<{ readonly referenceLesions: readonly ReferenceLesion[] }>): SizeBandDetection[] {
  const edges = LESION_SIZE_BANDS_ML
  const bands = [`under ${edges[0]} mL`, ...edges.slice(1).map((upper, n) => `${edges[n]}-${upper} mL`), `${edges[edges.length - 1]} mL and over`]
  const [lesions, found] = [bands.map(() => 0), bands.map(() => 0)]
  for (const lesion of cases.flatMap((c) => c.referenceLesions)) {
    const band = edges.findIndex((upper) => lesion.ml < upper)
    const n = band === -1 ? edges.length : band
    lesions[n]++
    if (lesion.found) found[n]++
  }
  return bands.map((band, n) => ({ band, lesions: lesions[n], found: found[n] }))
}

/** 'under 0.5 mL 28/78, 0.5-2 mL 12/20, ...' (bands without lesions left out). */
export function formatDetectionBySize(rows: readonly SizeBandDetection[]): string {
  return rows.filter((r) => r.lesions > 0).map((r) => `${r.band} ${r.found}/${r.lesions}`).join(', ') || 'no reference lesions'
}
