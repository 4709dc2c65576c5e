/**
 * The session: which scan and mask are open, and every action the UI can take on them. Owns the Volumes
 * (outside React state) and drives the ScanViewer; components get plain state and callbacks.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react'
import { deleteMaskDraft, loadMaskDraft, saveMaskDraft, scanContentKey } from '../../io/drafts/maskDrafts'
import { openScanFiles, type DroppedFile, type ScanCandidate } from '../../io/openScanFiles'
import { ScanParserClient } from '../../io/parser/scanParserClient'
import { writeNifti } from '../../io/nifti/writeNifti'
import { orientationCode } from '../../volume/affine'
import { initialWindowFor, type DisplayWindow } from '../../volume/displayWindow'
import type { Vec3 } from '../../volume/affine'
import { lesionReport } from '../../volume/lesionReport'
import { MaskEditHistory } from '../../volume/maskEditHistory'
import { binaryMaskFrom, countNonZero, emptyMaskOn, gridMismatch, guessModality, valueAt, type Volume } from '../../volume/volume'
import type { CrosshairReadout, EditTool, ScanViewer, ViewLayout } from '../../viewer/ScanViewer'
import { downloadBytes } from '../download'
import { describeProblem, INITIAL_SESSION, penSizeWithin, sessionReducer, type MaskSummary, type SessionState } from '../state/session'

/** What to do with an unsaved mask when another scan is dropped: save it first, let it go, or keep the scan open. */
export type PendingOpenChoice = 'save' | 'discard' | 'keep'

export interface ScanSession {
  readonly state: SessionState
  /** Opens a scan; while an unsaved mask is shown, it waits for `resolvePendingOpen` (state.pendingOpen). */
  openScan(files: readonly DroppedFile[]): Promise<void>
  resolvePendingOpen(choice: PendingOpenChoice): Promise<void>
  chooseScan(index: number): Promise<void>
  openMask(files: readonly DroppedFile[]): Promise<void>
  /** Shows a mask on the open scan's grid (from a file or a segmentation) and reports its lesions. */
  showMask(mask: Volume, about: Pick<MaskSummary, 'label' | 'origin'>, problems?: readonly string[]): void
  goToVoxel(voxel: Vec3): void
  /** Downloads the mask as .nii.gz on the scan's grid. */
  exportMask(): void
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
  /** The open scan and mask, read-only, for export and automation. */
  current(): { scan: Volume | null; mask: Volume | null }
}

export function useScanSession(viewer: ScanViewer | null): ScanSession {
  const [state, dispatch] = useReducer(sessionReducer, INITIAL_SESSION)
  const parser = useMemo(() => new ScanParserClient(), [])
  const scanRef = useRef<Volume | null>(null)
  const maskRef = useRef<Volume | null>(null)
  const candidatesRef = useRef<readonly ScanCandidate[]>([])
  const problemsRef = useRef<readonly string[]>([])
  const historyRef = useRef(new MaskEditHistory())
  /** Content hash of the open scan: the key of its saved corrections (null until computed). */
  const scanKeyRef = useRef<Promise<string> | null>(null)
  const maskLabelRef = useRef('')
  /** The mask on screen is in a file (opened from one, or saved since its last change). */
  const maskSavedRef = useRef(true)
  /** Files dropped while an unsaved mask was shown (state.pendingOpen). */
  const pendingOpenRef = useRef<readonly DroppedFile[] | null>(null)
  /** Draft saves, one after another, so that an older one never lands after a newer one. */
  const savesRef = useRef<Promise<void>>(Promise.resolve())
  /** What the viewer last said about the crosshair: its mask value is read again when the mask changes. */
  const crosshairRef = useRef<CrosshairReadout | null>(null)

  const showReadout = useCallback(() => {
    const readout = crosshairRef.current
    if (readout) dispatch({ type: 'readout', readout: { ...readout, maskValue: maskRef.current ? valueAt(maskRef.current, readout.voxel) : null } })
  }, [])

  /** The mask after a correction (or its undo): kept, reported, shown in the panel and saved on this device. */
  const maskEdited = useCallback((voxels: Uint8Array, undo: boolean) => {
    const mask = maskRef.current
    if (!mask) return
    const edited: Volume = { ...mask, data: voxels }
    maskRef.current = edited
    maskSavedRef.current = false
    dispatch({ type: 'mask-edited', report: lesionReport(edited), undoable: historyRef.current.undoable, undo })
    showReadout()
    const draft = { voxels, label: maskLabelRef.current, savedAt: Date.now() }
    const key = scanKeyRef.current
    if (!key) return
    savesRef.current = savesRef.current
      .then(() => key)
      .then((k) => saveMaskDraft(k, draft))
      .catch((e: Error) => dispatch({ type: 'warning', text: `Corrections are not being saved on this device (${e.message}): save the mask before you leave.` }))
  }, [showReadout])

  useEffect(() => () => parser.dispose(), [parser])
  useEffect(() => {
    if (!viewer) return
    viewer.onLocationChange((readout) => {
      crosshairRef.current = readout
      showReadout()
    })
    viewer.onWindowChange((window) => dispatch({ type: 'window', window }))
    viewer.onMaskEdited((voxels) => {
      const mask = maskRef.current
      if (!mask || historyRef.current.record(mask.data, voxels) === 0) return
      maskEdited(voxels, false)
    })
  }, [viewer, maskEdited, showReadout])

  const show = useCallback(
    async (candidate: ScanCandidate, problems: readonly string[]) => {
      if (!viewer) return
      const { volume } = candidate
      const window = initialWindowFor(volume.modality)
      await viewer.showScan(volume, window ?? undefined)
      scanRef.current = volume
      maskRef.current = null
      crosshairRef.current = null
      historyRef.current.clear()
      const key = scanContentKey(volume)
      scanKeyRef.current = key
      dispatch({
        type: 'scan-shown',
        scan: {
          label: candidate.label,
          dims: volume.dims,
          spacing: volume.spacing,
          modality: volume.modality,
          likelyModality: (volume.modality === 'unknown' ? guessModality(volume.data) : volume.modality) === 'CT' ? 'CT' : 'MR',
          datatype: volume.datatype,
          orientation: orientationCode(volume.affine),
          notes: candidate.notes,
        },
        window: window ?? viewer.currentWindow(),
        problems,
      })
      // Corrections of this very scan saved before a reload or crash: offer them.
      const draft = await key.then(loadMaskDraft).catch(() => null)
      if (scanRef.current !== volume) return
      const fits = draft !== null && draft.voxels.length === volume.data.length
      dispatch({ type: 'draft', draft: fits ? { label: draft.label, savedAt: draft.savedAt, voxels: countNonZero(draft.voxels) } : null })
    },
    [viewer],
  )

  const openScanNow = useCallback(
    async (files: readonly DroppedFile[]) => {
      dispatch({ type: 'busy', text: `Reading ${describeFiles(files)}…` })
      try {
        const opened = await openScanFiles(files, parser)
        const problems = opened.problems.map(describeProblem)
        if (opened.candidates.length === 0) dispatch({ type: 'failed', problems })
        else if (opened.candidates.length === 1) await show(opened.candidates[0], problems)
        else {
          candidatesRef.current = opened.candidates
          problemsRef.current = problems
          dispatch({ type: 'choices-offered', labels: opened.candidates.map((c) => c.label), problems })
        }
      } catch (e) {
        dispatch({ type: 'failed', problems: [describeProblem({ name: describeFiles(files), reason: (e as Error).message })] })
      }
    },
    [parser, show],
  )

  const openScan = useCallback(
    async (files: readonly DroppedFile[]) => {
      if (maskRef.current && !maskSavedRef.current) {
        pendingOpenRef.current = files
        dispatch({ type: 'open-held', files: describeFiles(files) })
        return
      }
      await openScanNow(files)
    },
    [openScanNow],
  )

  const exportMask = useCallback(() => {
    const mask = maskRef.current
    if (!mask) return
    // The scan's own dims and affine, so the mask overlays the scan in any other tool.
    const file = `${baseName(scanRef.current?.name ?? 'scan')}_lesion.nii.gz`
    downloadBytes(writeNifti(mask, { description: 'StrokeSeg lesion mask' }), file)
    maskSavedRef.current = true
    dispatch({ type: 'mask-saved', file })
    // The corrections are in the saved file now: the device need not offer them again.
    void scanKeyRef.current?.then(deleteMaskDraft).catch(() => undefined)
  }, [])

  const resolvePendingOpen = useCallback(
    async (choice: PendingOpenChoice) => {
      const files = pendingOpenRef.current
      pendingOpenRef.current = null
      dispatch({ type: 'open-released' })
      if (!files || choice === 'keep') return
      if (choice === 'save') exportMask()
      await openScanNow(files)
    },
    [exportMask, openScanNow],
  )

  const chooseScan = useCallback(
    async (index: number) => {
      const candidate = candidatesRef.current[index]
      if (!candidate) return
      candidatesRef.current = []
      await show(candidate, problemsRef.current)
    },
    [show],
  )

  const showMask = useCallback(
    (mask: Volume, about: Pick<MaskSummary, 'label' | 'origin'>, problems: readonly string[] = []) => {
      if (!viewer) return
      viewer.showMask(mask)
      viewer.setTool(state.tool, state.penSize)
      maskRef.current = mask
      maskSavedRef.current = about.origin === 'file'
      maskLabelRef.current = about.label
      historyRef.current.clear()
      dispatch({ type: 'mask-shown', mask: { ...about, report: lesionReport(mask) }, problems })
      showReadout()
    },
    [viewer, state.tool, state.penSize, showReadout],
  )

  const openMask = useCallback(
    async (files: readonly DroppedFile[]) => {
      const scan = scanRef.current
      const name = describeFiles(files)
      if (!viewer || !scan) {
        dispatch({ type: 'failed', problems: [describeProblem({ name, reason: 'open a scan first, then its mask' })] })
        return
      }
      dispatch({ type: 'busy', text: `Reading mask ${name}…` })
      try {
        const opened = await openScanFiles(files, parser)
        const problems = opened.problems.map(describeProblem)
        const candidate = opened.candidates[0]
        if (!candidate) return dispatch({ type: 'failed', problems })
        const mismatch = gridMismatch(scan, candidate.volume)
        if (mismatch) {
          return dispatch({ type: 'failed', problems: [describeProblem({ name: candidate.label, reason: `not on the scan's grid: ${mismatch}` })] })
        }
        showMask(binaryMaskFrom(candidate.volume), { label: candidate.label, origin: 'file' }, problems)
      } catch (e) {
        dispatch({ type: 'failed', problems: [describeProblem({ name, reason: (e as Error).message })] })
      }
    },
    [parser, viewer, showMask],
  )

  const current = useCallback(() => ({ scan: scanRef.current, mask: maskRef.current }), [])
  return {
    state,
    openScan,
    resolvePendingOpen,
    chooseScan,
    openMask,
    showMask,
    goToVoxel: (voxel) => viewer?.moveCrosshairToVoxel(voxel),
    exportSnapshot: async () => {
      const report = state.mask?.report
      const scanName = baseName(scanRef.current?.name ?? 'scan')
      if (!viewer || !scanRef.current) return
      const caption = report
        ? `${scanName}: lesion ${report.volumeMl.toFixed(2)} mL in ${report.lesions.length} lesion(s) (${state.mask!.label})`
        : `${scanName}: no lesion mask`
      try {
        downloadBytes(await viewer.snapshotPng(caption), `${scanName}_view.png`, 'image/png')
      } catch (e) {
        dispatch({ type: 'failed', problems: [describeProblem({ name: 'snapshot', reason: (e as Error).message })] })
      }
    },
    exportMask,
    setMaskOpacity: (percent) => {
      dispatch({ type: 'mask-opacity', percent })
      viewer?.setMaskStyle({ opacity: Math.min(100, Math.max(0, percent)) / 100 })
    },
    setMaskVisible: (visible) => {
      dispatch({ type: 'mask-visible', visible })
      viewer?.setMaskStyle({ visible })
    },
    setLayout: (layout) => {
      dispatch({ type: 'layout', layout })
      viewer?.setLayout(layout)
    },
    setWindow: (window) => {
      dispatch({ type: 'window', window })
      viewer?.setWindow(window)
    },
    setTool: (tool) => {
      const scan = scanRef.current
      if (!viewer || !scan) return
      if (tool !== 'navigate' && !maskRef.current) showMask(emptyMaskOn(scan, 'drawn mask'), { label: 'drawn by hand', origin: 'drawing' })
      dispatch({ type: 'tool', tool })
      viewer.setTool(tool, state.penSize)
    },
    setPenSize: (voxels) => {
      const size = penSizeWithin(voxels)
      dispatch({ type: 'pen-size', size })
      viewer?.setTool(state.tool, size)
    },
    undoEdit: () => {
      const mask = maskRef.current
      const restored = mask && historyRef.current.undo(mask.data)
      if (!viewer || !mask || !restored) return
      viewer.showMask({ ...mask, data: restored })
      maskEdited(restored, true)
    },
    restoreDraft: async () => {
      const scan = scanRef.current
      const key = scanKeyRef.current
      if (!scan || !key) return
      const draft = await key.then(loadMaskDraft).catch(() => null)
      dispatch({ type: 'draft', draft: null })
      if (!draft || scanRef.current !== scan) {
        dispatch({ type: 'failed', problems: [describeProblem({ name: 'saved corrections', reason: 'they are no longer on this device' })] })
        return
      }
      showMask({ ...emptyMaskOn(scan, 'restored mask'), data: draft.voxels }, { label: draft.label.endsWith(', corrected') ? draft.label : `${draft.label}, corrected`, origin: 'drawing' })
    },
    discardDraft: async () => {
      // The offer goes once the draft is deleted, so that a reload right after cannot bring it back.
      const scan = scanRef.current
      await scanKeyRef.current?.then(deleteMaskDraft).catch(() => undefined)
      if (scanRef.current === scan) dispatch({ type: 'draft', draft: null })
    },
    current,
  }
}

function baseName(name: string): string {
  return name.replace(/\.(nii(\.gz)?|dcm|zip)$/i, '').replace(/[^\w.-]+/g, '_') || 'scan'
}

function describeFiles(files: readonly DroppedFile[]): string {
  if (files.length === 0) return 'the drop'
  if (files.length === 1) return files[0].file.name
  const folder = files[0].path.split('/')[0]
  return folder && files.every((f) => f.path.startsWith(`${folder}/`)) ? `folder ${folder} (${files.length} files)` : `${files.length} files`
}
