/**
 * Display windows (centre/width, the scan's own units) and the CT presets radiologists expect.
 */
import type { Modality } from './volume'

export interface DisplayWindow {
  readonly center: number
  readonly width: number
}

export interface WindowPreset {
  readonly name: string
  readonly window: DisplayWindow
}

/** Hounsfield-unit presets for head CT. */
export const CT_WINDOW_PRESETS: readonly WindowPreset[] = [
  { name: 'brain', window: { center: 40, width: 80 } },
  { name: 'stroke', window: { center: 40, width: 40 } },
  { name: 'bone', window: { center: 500, width: 2000 } },
]

export function windowPresetsFor(modality: Modality): readonly WindowPreset[] {
  return modality === 'CT' ? CT_WINDOW_PRESETS : []
}

/** The window a scan opens with: the brain window for CT; null (the viewer's robust range) otherwise. */
export function initialWindowFor(modality: Modality): DisplayWindow | null {
  return modality === 'CT' ? CT_WINDOW_PRESETS[0].window : null
}

export function formatWindow(window: DisplayWindow): string {
  return `W ${Math.round(window.width)} / L ${Math.round(window.center)}`
}

/** The preset `window` is (to the rounded W and L the user reads), or null. */
export function presetOf(modality: Modality, window: DisplayWindow | null): WindowPreset | null {
  if (!window) return null
  return windowPresetsFor(modality).find((p) => formatWindow(p.window) === formatWindow(window)) ?? null
}
