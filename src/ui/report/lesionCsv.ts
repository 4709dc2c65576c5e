/** The lesion table as CSV (one row per lesion, largest first), for a spreadsheet or a registry. */
import type { LesionReport } from '../../volume/lesionReport'

export function lesionCsv(report: LesionReport, unit: string): string {
  const header = ['lesion', 'volume_ml', 'largest_diameter_mm', 'first_slice_k', 'last_slice_k', 'hemisphere', unit ? `mean_value_${unit.toLowerCase()}` : 'mean_value', 'center_x_mm', 'center_y_mm', 'center_z_mm']
  const rows = report.lesions.map((l, i) => [
    String(i + 1),
    l.volumeMl.toFixed(3),
    l.diameterMm.toFixed(1),
    String(l.slices[0]),
    String(l.slices[1]),
    l.hemisphere,
    l.meanValue.toFixed(1),
    ...l.centerMm.map((v) => v.toFixed(1)),
  ])
  return [header, ...rows].map((row) => row.join(',')).join('\n') + '\n'
}
