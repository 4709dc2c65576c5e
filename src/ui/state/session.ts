/**
 * What the user sees of the session, as plain data, and the one reducer that changes it.
 * Volumes themselves stay out of React state (they live with the session hook); this holds summaries.
 */
import type { Vec3 } from '../../volume/affine'
import type { DisplayWindow } from '../../volume/displayWindow'
import type { ModelCard } from '../../pipeline/modelCard'
import type { RecognisedContrast } from '../../pipeline/scanContrast'
import type { LesionReport } from '../../volume/lesionReport'
import type { MaskComparison } from '../../volume/maskComparison'
import type { Modality, VoxelType } from '../../volume/volume'
import type { CrosshairReadout, EditTool, ViewLayout } from '../../viewer/viewOptions'

export interface ScanSummary {
  readonly label: string
  readonly dims: Vec3
  readonly spacing: Vec3
  readonly modality: Modality
  /** The modality, or where the file does not say, a guess from the intensities (picks the model). */
  readonly likelyModality: 'CT' | 'MR'
  /** The MR contrast its files name, or null (with the modality, picks the model). */
  readonly contrast: RecognisedContrast | null
  readonly datatype: VoxelType
  /** e.g. 'RAS', 'LPS' */
  readonly orientation: string
  readonly notes: readonly string[]
  /** Opened from DICOM images whose headers StrokeSeg read: the mask can go back as a DICOM SEG. */
  readonly fromDicom: boolean
}

export interface MaskSummary {
  readonly label: string
  /** Where it came from: a file the user opened, a segmentation run, or drawn from scratch. */
  readonly origin: 'file' | 'segmentation' | 'drawing'
  /** The model that made it (a segmentation's). */
  readonly model?: ModelCard
  /** The mask as shown is in a file: opened from one, or saved since its last change. */
  readonly saved: boolean
  readonly report: LesionReport
  /** Hand corrections made since it was shown. */
  readonly edits: number
  /** How many of them can be undone. */
  readonly undoable: number
}

/** A second mask shown beside the edited one, for comparison (read from a file; never edited). */
export interface ReferenceSummary {
  readonly label: string
  readonly report: LesionReport
  /** The edited mask (A) against this one (B); null while there is no edited mask. */
  readonly comparison: MaskComparison | null
}

/** Whose lesions the lesion list shows. */
export type ListedMask = 'mask' | 'reference'

/** The crosshair readout with the mask's value there (null without a mask). */
export interface Readout extends CrosshairReadout {
  readonly maskValue: number | null
}

/** Pen and eraser size, in voxels of the 2-D view. */
export const PEN_SIZES = { min: 1, max: 15, initial: 3 } as const

export function penSizeWithin(voxels: number): number {
  return Math.round(Math.min(PEN_SIZES.max, Math.max(PEN_SIZES.min, voxels)))
}

export type StatusKind = 'idle' | 'busy' | 'info' | 'warning' | 'error'

export interface Status {
  readonly kind: StatusKind
  readonly text: string
  /** Counts status changes, so automation can tell a new message from an identical old one. */
  readonly seq: number
}

/** Corrections of the open scan found on this device (saved before a reload or crash), offered for restoring. */
export interface DraftOffer {
  readonly label: string
  readonly savedAt: number
  readonly voxels: number
}

export interface SessionState {
  readonly scan: ScanSummary | null
  /** Labels of the scans a drop held, while the user picks one. */
  readonly choices: readonly string[] | null
  readonly mask: MaskSummary | null
  /** 0..100 % */
  readonly maskOpacity: number
  readonly maskVisible: boolean
  readonly reference: ReferenceSummary | null
  /** 0..100 % */
  readonly referenceOpacity: number
  readonly referenceVisible: boolean
  readonly listedMask: ListedMask
  readonly layout: ViewLayout
  readonly window: DisplayWindow | null
  readonly readout: Readout | null
  /** What a left-drag does on the 2-D views. */
  readonly tool: EditTool
  readonly penSize: number
  readonly draft: DraftOffer | null
  /** The device has been asked for saved corrections of the open scan. */
  readonly draftLookedUp: boolean
  /** Files the user dropped while an unsaved mask is shown: they open once the user says what to do with it. */
  readonly pendingOpen: string | null
  readonly status: Status
}

export const INITIAL_SESSION: SessionState = {
  scan: null,
  choices: null,
  mask: null,
  maskOpacity: 50,
  maskVisible: true,
  reference: null,
  referenceOpacity: 50,
  referenceVisible: true,
  listedMask: 'mask',
  layout: 'multiplanar',
  window: null,
  readout: null,
  tool: 'navigate',
  penSize: PEN_SIZES.initial,
  draft: null,
  draftLookedUp: false,
  pendingOpen: null,
  status: { kind: 'idle', text: 'Drop a scan (NIfTI, DICOM files, a DICOM folder or a .zip) or choose one.', seq: 0 },
}

export type SessionAction =
  | { readonly type: 'busy'; readonly text: string }
  | { readonly type: 'choices-offered'; readonly labels: readonly string[]; readonly problems: readonly string[] }
  | { readonly type: 'scan-shown'; readonly scan: ScanSummary; readonly window: DisplayWindow | null; readonly problems: readonly string[] }
  | { readonly type: 'mask-shown'; readonly mask: Omit<MaskSummary, 'edits' | 'undoable' | 'saved'>; readonly problems: readonly string[] }
  | { readonly type: 'mask-saved'; readonly file: string }
  | { readonly type: 'reference-shown'; readonly reference: ReferenceSummary | null; readonly problems: readonly string[] }
  | { readonly type: 'comparison'; readonly comparison: MaskComparison | null }
  | { readonly type: 'reference-opacity'; readonly percent: number }
  | { readonly type: 'reference-visible'; readonly visible: boolean }
  | { readonly type: 'listed-mask'; readonly listed: ListedMask }
  | { readonly type: 'open-held'; readonly files: string }
  | { readonly type: 'open-released' }
  | { readonly type: 'mask-edited'; readonly report: LesionReport; readonly undoable: number; readonly undo: boolean }
  | { readonly type: 'tool'; readonly tool: EditTool }
  | { readonly type: 'draft'; readonly draft: DraftOffer | null }
  | { readonly type: 'warning'; readonly text: string }
  | { readonly type: 'pen-size'; readonly size: number }
  | { readonly type: 'failed'; readonly problems: readonly string[] }
  | { readonly type: 'mask-opacity'; readonly percent: number }
  | { readonly type: 'mask-visible'; readonly visible: boolean }
  | { readonly type: 'layout'; readonly layout: ViewLayout }
  | { readonly type: 'window'; readonly window: DisplayWindow }
  | { readonly type: 'readout'; readonly readout: Readout }

/** Actions that succeed without a message of their own: after one, an old error no longer describes the page. */
const QUIET_SUCCESSES: ReadonlySet<SessionAction['type']> = new Set([
  'mask-edited', 'comparison', 'tool', 'pen-size', 'mask-opacity', 'mask-visible', 'reference-opacity', 'reference-visible', 'listed-mask', 'layout', 'window', 'readout',
])

export function sessionReducer(state: SessionState, action: SessionAction): SessionState {
  let next = reduce(state, action)
  if (next.status.kind === 'error' && next.status === state.status && QUIET_SUCCESSES.has(action.type)) {
    next = { ...next, status: { kind: 'info', text: next.scan ? `Showing ${next.scan.label}.` : INITIAL_SESSION.status.text, seq: 0 } }
  }
  return next.status === state.status ? next : { ...next, status: { ...next.status, seq: state.status.seq + 1 } }
}

function reduce(state: SessionState, action: SessionAction): SessionState {
  switch (action.type) {
    case 'busy':
      return { ...state, status: { kind: 'busy', text: action.text, seq: state.status.seq } }
    case 'choices-offered':
      return {
        ...state,
        choices: action.labels,
        status: withProblems({ kind: 'info', text: `This drop holds ${action.labels.length} scans: choose one.`, seq: 0 }, action.problems),
      }
    case 'scan-shown': {
      const notes = action.scan.notes.length > 0 ? ` (${action.scan.notes.join('; ')})` : ''
      return {
        ...state,
        scan: action.scan,
        choices: null,
        mask: null,
        reference: null,
        listedMask: 'mask',
        window: action.window,
        readout: null,
        tool: 'navigate',
        draft: null,
        draftLookedUp: false,
        pendingOpen: null,
        status: withProblems({ kind: 'info', text: `Showing ${action.scan.label}${notes}.`, seq: 0 }, action.problems),
      }
    }
    case 'mask-shown':
      return {
        ...state,
        mask: { ...action.mask, edits: 0, undoable: 0, saved: action.mask.origin === 'file' },
        maskVisible: true,
        status: withProblems({ kind: 'info', text: `Mask ${action.mask.label} shown over the scan.`, seq: 0 }, action.problems),
      }
    case 'mask-edited': {
      if (!state.mask) return state
      const edits = state.mask.edits + (action.undo ? -1 : 1)
      // Saving this correction replaces any draft the device held for the scan.
      return { ...state, mask: { ...state.mask, report: action.report, edits, undoable: action.undoable, saved: false }, draft: null }
    }
    case 'mask-saved':
      return state.mask ? { ...state, mask: { ...state.mask, saved: true }, status: { kind: 'info', text: `Mask saved as ${action.file}.`, seq: 0 } } : state
    case 'reference-shown': {
      const { reference } = action
      const text = reference ? `Reference ${reference.label} shown beside the mask.` : 'Reference mask removed.'
      return {
        ...state,
        reference,
        referenceVisible: true,
        listedMask: reference ? state.listedMask : 'mask',
        status: withProblems({ kind: 'info', text, seq: 0 }, action.problems),
      }
    }
    case 'comparison':
      return state.reference ? { ...state, reference: { ...state.reference, comparison: action.comparison } } : state
    case 'reference-opacity':
      return { ...state, referenceOpacity: Math.min(100, Math.max(0, action.percent)) }
    case 'reference-visible':
      return { ...state, referenceVisible: action.visible }
    case 'listed-mask':
      return { ...state, listedMask: action.listed }
    case 'open-held':
      return { ...state, pendingOpen: action.files, status: { kind: 'warning', text: `${action.files} waits: the mask on screen is not saved (save it, or open without saving).`, seq: 0 } }
    case 'open-released':
      return { ...state, pendingOpen: null }
    case 'tool':
      return { ...state, tool: action.tool }
    case 'draft':
      return { ...state, draft: action.draft, draftLookedUp: true }
    case 'warning':
      return { ...state, status: { kind: 'warning', text: action.text, seq: 0 } }
    case 'pen-size':
      return { ...state, penSize: penSizeWithin(action.size) }
    case 'failed':
      return { ...state, status: { kind: 'error', text: action.problems.join(' '), seq: 0 } }
    case 'mask-opacity':
      return { ...state, maskOpacity: Math.min(100, Math.max(0, action.percent)) }
    case 'mask-visible':
      return { ...state, maskVisible: action.visible }
    case 'layout':
      return { ...state, layout: action.layout }
    case 'window':
      return { ...state, window: action.window }
    case 'readout':
      return { ...state, readout: action.readout }
  }
}

/** A success that came with files it could not read becomes a warning that names them. */
function withProblems(status: Status, problems: readonly string[]): Status {
  return problems.length === 0 ? status : { ...status, kind: 'warning', text: `${status.text} Not loaded: ${problems.join(' ')}` }
}

/** "name: reason." — how every unreadable file is reported. */
export function describeProblem(problem: { readonly name: string; readonly reason: string }): string {
  return `${problem.name}: ${problem.reason}.`
}
