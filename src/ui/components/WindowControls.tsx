import { formatWindow, presetOf, windowPresetsFor, type DisplayWindow } from '../../volume/displayWindow'
import type { Modality } from '../../volume/volume'

interface Props {
  readonly modality: Modality
  readonly window: DisplayWindow | null
  readonly onWindow: (window: DisplayWindow) => void
}

/** Current window/level (right-drag on the image changes it) and, for CT, the standard presets. */
export function WindowControls({ modality, window, onWindow }: Props) {
  const presets = windowPresetsFor(modality)
  const active = presetOf(modality, window)
  return (
    <section className="panel" data-testid="window-controls">
      <h3>Window / level</h3>
      <p data-testid="window-level" data-preset={active?.name ?? ''}>
        {window ? formatWindow(window) : 'auto'}
        {active && ` (${active.name})`}
      </p>
      <p className="hint">Right-drag on the image to adjust.</p>
      {presets.length > 0 && (
        <div className="segmented" role="group" aria-label="CT window presets">
          {presets.map((p) => (
            <button key={p.name} type="button" data-testid={`preset-${p.name}`} aria-pressed={p === active} onClick={() => onWindow(p.window)}>
              {p.name} ({formatWindow(p.window)})
            </button>
          ))}
        </div>
      )}
    </section>
  )
}
