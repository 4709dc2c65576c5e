/**
 * How a reader looks at the scan, apart from what is open: radiological or neurological display and the
 * crosshair (remembered on this device), zoom, distances measured, and the keyboard (keyboard.ts), which drives
 * the session's actions and the viewer.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import type { ScanViewer } from '../../viewer/ScanViewer'
import type { CrosshairStyle, Measurement } from '../../viewer/viewOptions'
import { isTyping, shortcutFor, type ShortcutAction } from '../keyboard'
import type { ScanSession } from '../session/sessionActions'
import type { ScanSummary } from '../state/session'

export interface DisplaySettings {
  /** The subject's right on the screen's left (radiological), or on the right (neurological). */
  readonly radiological: boolean
  readonly crosshair: CrosshairStyle
}

const DISPLAY_KEY = 'strokeseg.display'
const DEFAULT_DISPLAY: DisplaySettings = { radiological: false, crosshair: 'thin' }
const CROSSHAIRS: readonly CrosshairStyle[] = ['thick', 'thin', 'hidden']

/** The settings this device remembers, or the defaults when there are none (or they cannot be read). */
function rememberedDisplay(): DisplaySettings {
  try {
    const saved = JSON.parse(localStorage.getItem(DISPLAY_KEY) ?? '{}') as Partial<DisplaySettings>
    return {
      radiological: typeof saved.radiological === 'boolean' ? saved.radiological : DEFAULT_DISPLAY.radiological,
      crosshair: CROSSHAIRS.includes(saved.crosshair as CrosshairStyle) ? (saved.crosshair as CrosshairStyle) : DEFAULT_DISPLAY.crosshair,
    }
  } catch {
    return DEFAULT_DISPLAY
  }
}

export interface Reading {
  readonly display: DisplaySettings
  readonly measurements: readonly Measurement[]
  readonly helpOpen: boolean
  setDisplay(change: Partial<DisplaySettings>): void
  zoom(factor: number | null): void
  clearMeasurements(): void
  setHelpOpen(open: boolean): void
}

export function useReading(viewer: ScanViewer | null, session: ScanSession): Reading {
  const [display, setDisplaySettings] = useState(rememberedDisplay)
  /** Distances with the scan they were measured on: those of an earlier scan are not shown. */
  const [measured, setMeasured] = useState<{ readonly scan: ScanSummary | null; readonly list: readonly Measurement[] }>({ scan: null, list: [] })
  const [helpOpen, setHelpOpen] = useState(false)
  const scan = session.state.scan

  useEffect(() => {
    viewer?.setRadiological(display.radiological)
    viewer?.setCrosshair(display.crosshair)
    try {
      localStorage.setItem(DISPLAY_KEY, JSON.stringify(display))
    } catch {
      // Not remembered (storage full or off): the setting still holds for this visit.
    }
  }, [viewer, display])

  const scanNow = useRef(scan)
  useEffect(() => {
    scanNow.current = scan
  })
  useEffect(
    () => viewer?.onMeasurement((m) => setMeasured((d) => ({ scan: scanNow.current, list: d.scan === scanNow.current ? [...d.list, m] : [m] }))),
    [viewer],
  )
  // A new scan: its predecessor's distances leave the views too.
  useEffect(() => viewer?.clearMeasurements(), [viewer, scan])
  const measurements = measured.scan === scan ? measured.list : []

  const actions = useMemo(
    () => ({
      setDisplay: (change: Partial<DisplaySettings>) => setDisplaySettings((d) => ({ ...d, ...change })),
      zoom: (factor: number | null) => viewer?.zoom(factor),
      clearMeasurements: () => {
        setMeasured({ scan: null, list: [] })
        viewer?.clearMeasurements()
      },
      setHelpOpen,
    }),
    [viewer],
  )

  // The keyboard, caught before niivue's own keys on the canvas (its M and ? would cycle drag modes and open an alert).
  const sessionNow = useRef(session)
  useEffect(() => {
    sessionNow.current = session
  })
  useEffect(() => {
    const run = (action: ShortcutAction) => {
      const { state, ...act } = sessionNow.current
      switch (action.type) {
        case 'undo':
          return act.undoEdit()
        case 'tool':
          return act.setTool(action.tool)
        case 'slice':
          return viewer?.moveSlice(action.step)
        case 'toggle-mask':
          return state.mask && act.setMaskVisible(!state.maskVisible)
        case 'toggle-reference':
          return state.reference && act.setReferenceVisible(!state.referenceVisible)
        case 'zoom':
          return viewer?.zoom(action.factor)
        case 'help':
          return setHelpOpen((open) => !open)
      }
    }
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target)) return
      const action = shortcutFor(event)
      if (!action) return
      event.preventDefault()
      event.stopPropagation()
      run(action)
    }
    window.addEventListener('keydown', onKey, { capture: true })
    return () => window.removeEventListener('keydown', onKey, { capture: true })
  }, [viewer])

  return { display, measurements, helpOpen, ...actions }
}
