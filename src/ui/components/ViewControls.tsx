import { VIEW_LAYOUTS, type CrosshairStyle, type ViewLayout } from '../../viewer/viewOptions'
import type { DisplaySettings } from '../hooks/useReading'

const LABELS: Readonly<Record<ViewLayout, string>> = {
  axial: 'Axial',
  coronal: 'Coronal',
  sagittal: 'Sagittal',
  multiplanar: 'Multiplanar',
  render: '3D',
}

const CROSSHAIR_LABELS: Readonly<Record<CrosshairStyle, string>> = { thin: 'thin', thick: 'thick', hidden: 'hidden' }

interface Props {
  readonly layout: ViewLayout
  readonly onLayout: (layout: ViewLayout) => void
  readonly display: DisplaySettings
  readonly onDisplay: (change: Partial<DisplaySettings>) => void
  readonly onZoom: (factor: number | null) => void
  readonly onHelp: () => void
}

/** The layout, radiological or neurological display, the crosshair, zoom, and the keyboard's help. */
export function ViewControls({ layout, onLayout, display, onDisplay, onZoom, onHelp }: Props) {
  return (
    <section className="view-controls">
      <div className="segmented" role="group" aria-label="View">
        {VIEW_LAYOUTS.map((l) => (
          <button key={l} type="button" aria-pressed={l === layout} data-testid={`view-${l}`} onClick={() => onLayout(l)}>
            {LABELS[l]}
          </button>
        ))}
      </div>
      <div className="segmented" role="group" aria-label="Zoom">
        <button type="button" data-testid="zoom-in" title="Zoom in (+); the middle button pans" onClick={() => onZoom(1.25)}>
          +
        </button>
        <button type="button" data-testid="zoom-out" title="Zoom out (−)" onClick={() => onZoom(0.8)}>
          −
        </button>
        <button type="button" data-testid="zoom-reset" title="Whole slice (0)" onClick={() => onZoom(null)}>
          1:1
        </button>
        <button type="button" data-testid="keyboard-help-button" title="Keyboard (?)" onClick={onHelp}>
          Keys
        </button>
      </div>
      <label className="checkbox" title="Radiological: the patient's right on the screen's left">
        <input type="checkbox" checked={display.radiological} data-testid="radiological-toggle" onChange={(e) => onDisplay({ radiological: e.currentTarget.checked })} />
        Radiological (R on the left)
      </label>
      <label className="inline-select">
        Crosshair{' '}
        <select value={display.crosshair} data-testid="crosshair-style" onChange={(e) => onDisplay({ crosshair: e.currentTarget.value as CrosshairStyle })}>
          {(Object.keys(CROSSHAIR_LABELS) as CrosshairStyle[]).map((style) => (
            <option key={style} value={style}>
              {CROSSHAIR_LABELS[style]}
            </option>
          ))}
        </select>
      </label>
    </section>
  )
}
