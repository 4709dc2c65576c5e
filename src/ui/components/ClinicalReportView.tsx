import { intendedUseNotice, realScanSummary, leftOutNotice } from '../../pipeline/modelCard'
import { formatDims, formatSpacing } from '../../volume/volume'
import type { ClinicalReport } from '../report/clinicalReport'
import { LesionTable } from './LesionTable'

interface Props {
  readonly report: ClinicalReport
  readonly onSaveCsv: () => void
  readonly onClose: () => void
}

const ORIGINS = { file: 'opened from a file', segmentation: 'segmented by the model', drawing: 'drawn by hand' } as const

/** The report on its own page: printed (or saved as PDF) by the browser, with the app hidden (print styles). */
export function ClinicalReportView({ report, onSaveCsv, onClose }: Props) {
  const { scan, mask, unit } = report
  const lesions = mask.report.lesions
  const model = mask.model
  return (
    <div className="clinical-report" role="dialog" aria-label="Lesion report" data-testid="report">
      <div className="clinical-report__actions">
        <button type="button" data-testid="print-report" onClick={() => window.print()}>
          Print / save as PDF
        </button>
        <button type="button" data-testid="report-csv-button" onClick={onSaveCsv}>
          Lesions (.csv)
        </button>
        <button type="button" data-testid="close-report" onClick={onClose}>
          Close
        </button>
      </div>
      <h1>Stroke lesion report</h1>
      <p className="clinical-report__notice">{model ? intendedUseNotice(model) : 'StrokeSeg research prototype: not for diagnosis.'}</p>
      <dl>
        <dt>Made</dt>
        <dd data-testid="report-date">{report.createdAt.toLocaleString()}</dd>
        <dt>Scan</dt>
        <dd data-testid="report-scan">
          {scan.label}: {scan.modality === 'unknown' ? `modality not stated (read as ${scan.likelyModality})` : scan.modality}, {formatDims(scan.dims)} voxels of{' '}
          {formatSpacing(scan.spacing)}, {scan.orientation}
          {scan.likelyModality === 'MR' && (scan.contrast ? `; ${scan.contrast.contrast} by ${scan.contrast.source}` : '; contrast not named in its files')}
        </dd>
        <dt>Mask</dt>
        <dd data-testid="report-mask">
          {mask.label}, {ORIGINS[mask.origin]};{' '}
          {mask.edits > 0 ? `corrected by hand (${mask.edits} ${mask.edits === 1 ? 'stroke' : 'strokes'})` : 'not corrected by hand'}
        </dd>
        {model && (
          <>
            <dt>Model</dt>
            <dd data-testid="report-model">
              {model.name} ({model.architecture.name}, {model.modality} {model.contrast}, threshold {model.threshold}
              {model.mirrorAveraging ? ', each slice averaged with its left-right mirror' : ''}); test Dice on held-out {model.training.dataOrigin} data{' '}
              {model.metrics.test ? model.metrics.test.dice.toFixed(3) : 'not measured'}. {realScanSummary(model)} {leftOutNotice(model) ?? ''}
            </dd>
          </>
        )}
        <dt>Lesion volume</dt>
        <dd data-testid="report-volume" data-ml={mask.report.volumeMl.toFixed(3)}>
          <strong>{mask.report.volumeMl.toFixed(2)} mL</strong> in {lesions.length} {lesions.length === 1 ? 'lesion' : 'lesions'}
        </dd>
      </dl>
      {lesions.length > 0 && <LesionTable lesions={lesions} unit={unit} testId="report-lesions" />}
      {report.pictures.length > 0 && (
        <section className="clinical-report__pictures">
          {report.pictures.map((p) => (
            <figure key={p.slice}>
              <img src={p.url} alt={`Axial slice ${p.slice} with the lesion outlined`} data-testid="report-picture" />
              <figcaption>
                Axial slice {p.slice} (RAS), {p.lesionPixels} lesion voxels; {report.radiological ? 'radiological: R on the left' : 'neurological: R on the right'}, anterior up
              </figcaption>
            </figure>
          ))}
        </section>
      )}
    </div>
  )
}
