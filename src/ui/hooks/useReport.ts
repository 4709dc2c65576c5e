/** The lesion report and the lesion table as CSV, from what the session shows now. */
import { useState } from 'react'
import { downloadBytes } from '../download'
import { makeClinicalReport, type ClinicalReport } from '../report/clinicalReport'
import { lesionCsv } from '../report/lesionCsv'
import { baseName } from '../session/describe'
import type { ScanSession } from '../session/sessionActions'
import type { DisplaySettings } from './useReading'

export interface ReportControls {
  /** The report on screen, or null. */
  readonly report: ClinicalReport | null
  open(): void
  close(): void
  /** Downloads the shown mask's lesions as CSV. */
  saveCsv(): void
}

export function useReport(session: ScanSession, display: DisplaySettings): ReportControls {
  const [report, setReport] = useState<ClinicalReport | null>(null)
  const { state } = session
  return {
    report,
    open: () => {
      const { scan, mask } = session.current()
      if (!scan || !mask || !state.scan || !state.mask) return
      setReport(makeClinicalReport({ scan, mask, scanSummary: state.scan, maskSummary: state.mask, window: state.window, radiological: display.radiological }))
    },
    close: () => setReport(null),
    saveCsv: () => {
      const lesions = report?.mask.report ?? state.mask?.report
      const scan = report?.scan ?? state.scan
      if (!lesions || !scan) return
      const csv = lesionCsv(lesions, scan.modality === 'CT' ? 'HU' : '')
      downloadBytes(new TextEncoder().encode(csv), `${baseName(scan.label)}_lesions.csv`, 'text/csv')
    },
  }
}
