import type { Vec3 } from '../../volume/affine'
import type { LesionReport } from '../../volume/lesionReport'
import type { ListedMask, MaskSummary, ReferenceSummary } from '../state/session'
import { LesionTable } from './LesionTable'
import { Slider } from './Slider'

interface Props {
  readonly mask: MaskSummary | null
  /** A second mask beside this one: the lesion list can show its lesions instead. */
  readonly reference: ReferenceSummary | null
  readonly listed: ListedMask
  readonly onListed: (listed: ListedMask) => void
  /** A view can be saved once a scan is shown. */
  readonly hasScan: boolean
  /** The scan's unit ('HU' on CT). */
  readonly unit: string
  readonly opacity: number
  readonly visible: boolean
  readonly onOpacity: (percent: number) => void
  readonly onVisible: (visible: boolean) => void
  readonly onGoTo: (voxel: Vec3) => void
  readonly onExport: () => void
  readonly onSnapshot: () => void
  readonly onReport: () => void
  readonly onSaveCsv: () => void
  /** The scan came from DICOM images: the mask can go back to the PACS as a DICOM SEG. */
  readonly canExportDicomSeg: boolean
  readonly onExportDicomSeg: () => void
}

/** Lesions listed; the rest are summed in the total. */
const LISTED_LESIONS = 10

export function MaskControls({ mask, reference, listed, onListed, hasScan, unit, opacity, visible, onOpacity, onVisible, onGoTo, onExport, onSnapshot, onReport, onSaveCsv, canExportDicomSeg, onExportDicomSeg }: Props) {
  const report = mask?.report
  const listedReport: LesionReport | undefined = listed === 'reference' && reference ? reference.report : report
  return (
    <section className="panel" data-testid="mask-controls">
      <h3>Lesion mask</h3>
      {mask && report ? (
        <>
          <p data-testid="mask-info">
            {mask.label}: {report.voxels} voxels
          </p>
          <p className="lesion-volume" data-testid="lesion-volume" data-ml={report.volumeMl.toFixed(3)}>
            <strong>{report.volumeMl.toFixed(2)} mL</strong> in {report.lesions.length} {report.lesions.length === 1 ? 'lesion' : 'lesions'}
            {report.lesions.length > 0 && <>, largest {report.lesions[0].volumeMl.toFixed(2)} mL</>}
          </p>
          {reference && (
            <div className="segmented" role="group" aria-label="Lesions listed">
              {(['mask', 'reference'] as const).map((source) => (
                <button key={source} type="button" aria-pressed={listed === source} data-testid={`list-${source}`} onClick={() => onListed(source)}>
                  {source === 'mask' ? 'This mask' : 'Reference'}
                </button>
              ))}
            </div>
          )}
          {listedReport && listedReport.lesions.length > 0 && (
            <LesionTable lesions={listedReport.lesions.slice(0, LISTED_LESIONS)} unit={unit} onGoTo={onGoTo} testId="lesion-list" listed={listed} />
          )}
        </>
      ) : (
        <p className="hint">No mask yet: press Segment, or open a mask file.</p>
      )}
      <Slider label={`Opacity ${opacity} %`} min={0} max={100} value={opacity} testId="opacity-slider" disabled={!mask} onChange={onOpacity} />
      <label className="checkbox">
        <input type="checkbox" checked={visible} disabled={!mask} data-testid="mask-visible" onChange={(e) => onVisible(e.currentTarget.checked)} />
        Show mask
      </label>
      <div className="buttons">
        <button type="button" data-testid="export-mask-button" disabled={!mask} onClick={onExport}>
          Save mask (.nii.gz)
        </button>
        {canExportDicomSeg && (
          <button type="button" data-testid="export-dicom-seg-button" disabled={!mask} onClick={onExportDicomSeg} title="A DICOM Segmentation object referencing the source series, for the PACS">
            Save as DICOM SEG
          </button>
        )}
        <button type="button" data-testid="export-png-button" disabled={!hasScan} onClick={onSnapshot}>
          Save view (.png)
        </button>
        <button type="button" data-testid="report-button" disabled={!mask} onClick={onReport} title="A report to print or save as PDF: scan, model, lesions, pictures">
          Report
        </button>
        <button type="button" data-testid="export-csv-button" disabled={!mask} onClick={onSaveCsv}>
          Lesions (.csv)
        </button>
      </div>
    </section>
  )
}
