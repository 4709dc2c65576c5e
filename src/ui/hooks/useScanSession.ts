/**
 * The session: which scan and mask are open, and every action the UI can take on them. Three concerns, each in
 * its place: loading a scan (the latest request wins: a scan dropped while another is read replaces it, never the
 * other way round), the mask document (`MaskDocument`: mask, undo, drafts on this device), and the viewer bridge
 * (the ScanViewer's events into the state, removed when the viewer goes). The actions are made once per viewer and
 * read the state they need when called, so components and effects that depend on them do not run again with
 * every change of state.
 */
import { useEffect, useMemo, useReducer, useRef } from 'react'
import { deleteMaskDraft, loadMaskDraft, saveMaskDraft, scanContentKey } from '../../io/drafts/maskDrafts'
import type { DicomSeries } from '../../io/dicom/dicomSeries'
import { openScanFiles, type DroppedFile, type ScanCandidate } from '../../io/openScanFiles'
import { ScanParserClient } from '../../io/parser/scanParserClient'
import { writeNifti } from '../../io/nifti/writeNifti'
import { initialWindowFor } from '../../volume/displayWindow'
import { lesionReport } from '../../volume/lesionReport'
import { compareMasks } from '../../volume/maskComparison'
import { countNonZero, emptyMaskOn, valueAt, type Volume } from '../../volume/volume'
import type { ScanViewer } from '../../viewer/ScanViewer'
import type { CrosshairReadout } from '../../viewer/viewOptions'
import { downloadBytes } from '../download'
import { baseName, describeFiles, summaryOf } from '../session/describe'
import { LatestRequest } from '../session/latestRequest'
import { MaskDocument, type DraftStore } from '../session/maskDocument'
import { readMaskFile, segAuthorOf, segmentationOf } from '../session/maskFiles'
import type { ScanSession, ScanSessionActions } from '../session/sessionActions'
import { describeProblem, INITIAL_SESSION, penSizeWithin, sessionReducer, type MaskSummary } from '../state/session'

const BROWSER_DRAFTS: DraftStore = { save: saveMaskDraft, load: loadMaskDraft, delete: deleteMaskDraft }

export function useScanSession(viewer: ScanViewer | null): ScanSession {
  const [state, dispatch] = useReducer(sessionReducer, INITIAL_SESSION)
  const stateNow = useRef(state)
  useEffect(() => {
    stateNow.current = state
  })
  const parser = useMemo(() => new ScanParserClient(), [])
  useEffect(() => () => parser.dispose(), [parser])
  const doc = useMemo(
    () => new MaskDocument(BROWSER_DRAFTS, (e) => dispatch({ type: 'warning', text: `Corrections are not being saved on this device (${e.message}): save the mask before you leave.` })),
    [],
  )
  const loading = useMemo(() => new LatestRequest(), [])
  const scanRef = useRef<Volume | null>(null)
  /** The DICOM series the open scan was made of (for a DICOM SEG of the mask), or null. */
  const dicomRef = useRef<DicomSeries | null>(null)
  /** A second mask shown beside the edited one (state.reference). */
  const referenceRef = useRef<Volume | null>(null)
  /** Scans found in one drop, offered for the user to choose (state.choices). */
  const offered = useRef<{ candidates: readonly ScanCandidate[]; problems: readonly string[] }>({ candidates: [], problems: [] })
  /** Files dropped while an unsaved mask was shown (state.pendingOpen). */
  const pendingOpen = useRef<readonly DroppedFile[] | null>(null)
  /** What the viewer last said about the crosshair: its mask value is read again when the mask changes. */
  const crosshair = useRef<CrosshairReadout | null>(null)

  const { actions, bridge } = useMemo(() => {
    const failed = (name: string, reason: string) => dispatch({ type: 'failed', problems: [describeProblem({ name, reason })] })
    const showReadout = () => {
      const readout = crosshair.current
      if (readout) dispatch({ type: 'readout', readout: { ...readout, maskValue: doc.mask ? valueAt(doc.mask, readout.voxel) : null } })
    }
    /** A stroke (already on screen) or its undo changed the mask: shown, reported, in the panel. */
    const maskChanged = (mask: Volume, undo: boolean) => {
      const scan = scanRef.current
      if (!scan) return
      if (undo) viewer?.showMask(mask)
      dispatch({ type: 'mask-edited', report: lesionReport(mask, scan), undoable: doc.undoable, undo })
      compare()
      showReadout()
    }

    const show = async (candidate: ScanCandidate, problems: readonly string[]) => {
      if (!viewer) return
      const { volume } = candidate
      const window = initialWindowFor(volume.modality)
      await viewer.showScan(volume, window ?? undefined)
      scanRef.current = volume
      referenceRef.current = null
      crosshair.current = null
      doc.openScan(scanContentKey(volume))
      dicomRef.current = candidate.dicom?.series ?? null
      const segmentation = await segmentationOf(candidate)
      dispatch({ type: 'scan-shown', scan: summaryOf(candidate), window: window ?? viewer.currentWindow(), problems: [...problems, ...(segmentation?.problems ?? [])] })
      if (segmentation?.mask) showMask(segmentation.mask, { label: segmentation.label, origin: 'file' }, problems)
      // Corrections of this very scan saved before a reload or crash: offer them.
      const draft = await doc.draft(volume.data.length)
      if (scanRef.current === volume) dispatch({ type: 'draft', draft: draft && { label: draft.label, savedAt: draft.savedAt, voxels: countNonZero(draft.voxels) } })
    }

    const openScanNow = async (files: readonly DroppedFile[]) => {
      const request = loading.begin()
      dispatch({ type: 'busy', text: `Reading ${describeFiles(files)}…` })
      try {
        const opened = await openScanFiles(files, parser)
        if (!request.current()) return // a later drop is being opened
        const problems = opened.problems.map(describeProblem)
        if (opened.candidates.length === 0) dispatch({ type: 'failed', problems })
        else if (opened.candidates.length === 1) await show(opened.candidates[0], problems)
        else {
          offered.current = { candidates: opened.candidates, problems }
          dispatch({ type: 'choices-offered', labels: opened.candidates.map((c) => c.label), problems })
        }
      } catch (e) {
        if (request.current()) failed(describeFiles(files), (e as Error).message)
      }
    }

    /** A mask file for the open scan (state.status tells why not), and the scan it is for. */
    const readMask = async (files: readonly DroppedFile[]) => {
      const scan = scanRef.current
      if (!viewer || !scan) return void failed(describeFiles(files), 'open a scan first, then its mask')
      dispatch({ type: 'busy', text: `Reading mask ${describeFiles(files)}…` })
      const read = await readMaskFile(files, scan, parser, dicomRef.current)
      if (scanRef.current !== scan) return void failed(describeFiles(files), 'another scan was opened while the mask was read')
      if (!read.mask) return void dispatch({ type: 'failed', problems: read.problems })
      return { ...read, mask: read.mask, scan }
    }
    /** The edited mask against the reference, when both are there. */
    const comparisonNow = () => (doc.mask && referenceRef.current ? compareMasks(doc.mask, referenceRef.current) : null)
    const compare = () => {
      if (referenceRef.current) dispatch({ type: 'comparison', comparison: comparisonNow() })
    }

    const showMask = (mask: Volume, about: Pick<MaskSummary, 'label' | 'origin' | 'model'>, problems: readonly string[] = []) => {
      const scan = scanRef.current
      if (!viewer || !scan) return
      viewer.showMask(mask)
      viewer.setTool(stateNow.current.tool, stateNow.current.penSize)
      doc.show(mask, about.label, about.origin === 'file')
      dispatch({ type: 'mask-shown', mask: { ...about, report: lesionReport(mask, scan) }, problems })
      compare()
      showReadout()
    }

    const exportMask = () => {
      const mask = doc.mask
      if (!mask) return
      // The scan's own dims and affine, so the mask overlays the scan in any other tool.
      const file = `${baseName(scanRef.current?.name ?? 'scan')}_lesion.nii.gz`
      downloadBytes(writeNifti(mask, { description: 'StrokeSeg lesion mask' }), file)
      doc.saved()
      dispatch({ type: 'mask-saved', file })
    }

    const actions: ScanSessionActions = {
      openScan: async (files) => {
        if (doc.unsaved) {
          pendingOpen.current = files
          dispatch({ type: 'open-held', files: describeFiles(files) })
          return
        }
        await openScanNow(files)
      },
      resolvePendingOpen: async (choice) => {
        const files = pendingOpen.current
        pendingOpen.current = null
        dispatch({ type: 'open-released' })
        if (!files || choice === 'keep') return
        if (choice === 'save') exportMask()
        await openScanNow(files)
      },
      chooseScan: async (index) => {
        const candidate = offered.current.candidates[index]
        if (!candidate) return
        const { problems } = offered.current
        offered.current = { candidates: [], problems: [] }
        await show(candidate, problems)
      },
      openMask: async (files) => {
        const read = await readMask(files)
        if (read) showMask(read.mask, { label: read.label, origin: 'file' }, read.problems)
      },
      openReferenceMask: async (files) => {
        const read = await readMask(files)
        if (!read || !viewer) return
        await viewer.showReferenceMask(read.mask)
        if (scanRef.current !== read.scan) return
        referenceRef.current = read.mask
        const reference = { label: read.label, report: lesionReport(read.mask, read.scan), comparison: comparisonNow() }
        dispatch({ type: 'reference-shown', reference, problems: read.problems })
        viewer.setReferenceStyle({ opacity: stateNow.current.referenceOpacity / 100, visible: true })
      },
      removeReferenceMask: () => {
        referenceRef.current = null
        void viewer?.showReferenceMask(null)
        dispatch({ type: 'reference-shown', reference: null, problems: [] })
      },
      setReferenceOpacity: (percent) => {
        dispatch({ type: 'reference-opacity', percent })
        viewer?.setReferenceStyle({ opacity: Math.min(100, Math.max(0, percent)) / 100 })
      },
      setReferenceVisible: (visible) => {
        dispatch({ type: 'reference-visible', visible })
        viewer?.setReferenceStyle({ visible })
      },
      setListedMask: (listed) => dispatch({ type: 'listed-mask', listed }),
      showMask,
      goToVoxel: (voxel) => viewer?.moveCrosshairToVoxel(voxel),
      exportMask,
      exportDicomSeg: async () => {
        const [mask, series, summary] = [doc.mask, dicomRef.current, stateNow.current.mask]
        if (!mask || !series || !summary) return
        try {
          const { writeDicomSeg } = await import('../../io/dicom/dicomSeg') // dcmjs, loaded when first needed
          const file = `${baseName(scanRef.current?.name ?? 'scan')}_lesion_seg.dcm`
          downloadBytes(writeDicomSeg(mask, series, segAuthorOf(summary)), file, 'application/dicom')
          dispatch({ type: 'mask-saved', file })
        } catch (e) {
          failed('DICOM SEG', (e as Error).message)
        }
      },
      exportSnapshot: async () => {
        const mask = stateNow.current.mask
        const scanName = baseName(scanRef.current?.name ?? 'scan')
        if (!viewer || !scanRef.current) return
        const caption = mask ? `${scanName}: lesion ${mask.report.volumeMl.toFixed(2)} mL in ${mask.report.lesions.length} lesion(s) (${mask.label})` : `${scanName}: no lesion mask`
        try {
          downloadBytes(await viewer.snapshotPng(caption), `${scanName}_view.png`, 'image/png')
        } catch (e) {
          failed('snapshot', (e as Error).message)
        }
      },
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
        if (tool !== 'navigate' && tool !== 'measure' && !doc.mask) showMask(emptyMaskOn(scan, 'drawn mask'), { label: 'drawn by hand', origin: 'drawing' })
        dispatch({ type: 'tool', tool })
        viewer.setTool(tool, stateNow.current.penSize)
      },
      setPenSize: (voxels) => {
        const size = penSizeWithin(voxels)
        dispatch({ type: 'pen-size', size })
        viewer?.setTool(stateNow.current.tool, size)
      },
      undoEdit: () => {
        const restored = doc.undo()
        if (restored) maskChanged(restored, true)
      },
      restoreDraft: async () => {
        const scan = scanRef.current
        if (!scan) return
        const draft = await doc.draft(scan.data.length)
        dispatch({ type: 'draft', draft: null })
        if (!draft || scanRef.current !== scan) return failed('saved corrections', 'they are no longer on this device')
        const label = draft.label.endsWith(', corrected') ? draft.label : `${draft.label}, corrected`
        showMask({ ...emptyMaskOn(scan, 'restored mask'), data: draft.voxels }, { label, origin: 'drawing' })
      },
      discardDraft: async () => {
        // The offer goes once the draft is deleted, so that a reload right after cannot bring it back.
        const scan = scanRef.current
        await doc.discardDraft()
        if (scanRef.current === scan) dispatch({ type: 'draft', draft: null })
      },
      current: () => ({ scan: scanRef.current, mask: doc.mask, reference: referenceRef.current }),
    }
    const bridge = {
      readout: (readout: CrosshairReadout) => {
        crosshair.current = readout
        showReadout()
      },
      stroke: (voxels: Uint8Array) => {
        const edited = doc.stroke(voxels)
        if (edited) maskChanged(edited, false)
      },
    }
    return { actions, bridge }
  }, [viewer, parser, doc, loading])

  // The viewer bridge: what the user does in the viewer, into the state; removed when the viewer goes.
  useEffect(() => {
    if (!viewer) return
    const removals = [
      viewer.onLocationChange(bridge.readout),
      viewer.onWindowChange((window) => dispatch({ type: 'window', window })),
      viewer.onMaskEdited(bridge.stroke),
    ]
    return () => removals.forEach((remove) => remove())
  }, [viewer, bridge])

  return useMemo(() => ({ state, ...actions }), [state, actions])
}
