/** What the UI can do with the session: the actions `useScanSession` makes, one per thing a user does. */
import type { DroppedFile } from '../../io/openScanFiles'
import type { Vec3 } from '../../volume/affine'
import type { DisplayWindow } from '../../volume/displayWindow'
import type { Volume } from '../../volume/volume'
import type { EditTool, ViewLayout } from '../../viewer/viewOptions'
import type { ListedMask, MaskSummary, SessionState } from '../state/session'

/** What to do with an unsaved mask when another scan is dropped: save it first, let it go, or keep the scan open. */
export type PendingOpenChoice = 'save' | 'discard' | 'keep'

export interface ScanSessionActions {
  /** Opens a scan; while an unsaved mask is shown, it waits for `resolvePendingOpen` (state.pendingOpen). */
  openScan(files: readonly DroppedFile[]): Promise<void>
  resolvePendingOpen(choice: PendingOpenChoice): Promise<void>
  chooseScan(index: number): Promise<void>
  openMask(files: readonly DroppedFile[]): Promise<void>
  /** Shows a second mask (a colleague's, an expert's, an earlier run) beside the edited one, compared with it. */
  openReferenceMask(files: readonly DroppedFile[]): Promise<void>
  removeReferenceMask(): void
  setReferenceOpacity(percent: number): void
  setReferenceVisible(visible: boolean): void
  /** Whose lesions the lesion list shows. */
  setListedMask(listed: ListedMask): void
  /** Shows a mask on the open scan's grid (from a file or a segmentation) and reports its lesions. */
  showMask(mask: Volume, about: Pick<MaskSummary, 'label' | 'origin' | 'model'>, problems?: readonly string[]): void
  goToVoxel(voxel: Vec3): void
  /** Downloads the mask as .nii.gz on the scan's grid. */
  exportMask(): void
  /** Downloads the mask as a DICOM SEG of the series the scan was opened from (state.scan.fromDicom). */
  exportDicomSeg(): Promise<void>
  /** Downloads a PNG of the current view with the lesion volume written on it. */
  exportSnapshot(): Promise<void>
  setMaskOpacity(percent: number): void
  setMaskVisible(visible: boolean): void
  setLayout(layout: ViewLayout): void
  setWindow(window: DisplayWindow): void
  /** Picks what a left-drag does; an edit tool on a scan without a mask starts an empty one to draw on. */
  setTool(tool: EditTool): void
  setPenSize(voxels: number): void
  /** Takes back the last hand correction. */
  undoEdit(): void
  /** Shows the corrections this device saved for the open scan (state.draft), instead of the current mask. */
  restoreDraft(): Promise<void>
  /** Forgets them. */
  discardDraft(): Promise<void>
  /** The open scan, mask and reference, read-only, for export and automation. */
  current(): { scan: Volume | null; mask: Volume | null; reference: Volume | null }
}

export interface ScanSession extends ScanSessionActions {
  readonly state: SessionState
}
