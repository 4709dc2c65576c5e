/**
 * The keyboard of a reading workstation: one table of keys, read by the handler and printed by the help, so
 * that the two cannot disagree.
 */
import type { EditTool } from '../viewer/viewOptions'

export type ShortcutAction =
  | { readonly type: 'undo' }
  | { readonly type: 'tool'; readonly tool: EditTool }
  | { readonly type: 'slice'; readonly step: number }
  | { readonly type: 'toggle-mask' }
  | { readonly type: 'toggle-reference' }
  | { readonly type: 'zoom'; readonly factor: number | null }
  | { readonly type: 'help' }

interface Shortcut {
  /** KeyboardEvent.key values (case as typed), and whether Ctrl or Cmd must be held. */
  readonly keys: readonly string[]
  readonly withCommand?: boolean
  /** How the help shows the keys. */
  readonly shown: string
  readonly does: string
  readonly action: ShortcutAction
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['z', 'Z'], withCommand: true, shown: 'Ctrl/⌘ + Z', does: 'undo the last correction', action: { type: 'undo' } },
  { keys: ['n', 'N'], shown: 'N', does: 'navigate (left-drag moves the crosshair)', action: { type: 'tool', tool: 'navigate' } },
  { keys: ['p', 'P'], shown: 'P', does: 'pen', action: { type: 'tool', tool: 'pen' } },
  { keys: ['e', 'E'], shown: 'E', does: 'eraser', action: { type: 'tool', tool: 'eraser' } },
  { keys: ['f', 'F'], shown: 'F', does: 'fill an outline', action: { type: 'tool', tool: 'fill' } },
  { keys: ['d', 'D'], shown: 'D', does: 'measure a distance', action: { type: 'tool', tool: 'measure' } },
  { keys: ['ArrowUp', 'PageUp'], shown: '↑ / Page Up', does: 'next slice', action: { type: 'slice', step: 1 } },
  { keys: ['ArrowDown', 'PageDown'], shown: '↓ / Page Down', does: 'previous slice', action: { type: 'slice', step: -1 } },
  { keys: ['m', 'M'], shown: 'M', does: 'show or hide the mask', action: { type: 'toggle-mask' } },
  { keys: ['r', 'R'], shown: 'R', does: 'show or hide the reference mask', action: { type: 'toggle-reference' } },
  { keys: ['+', '='], shown: '+', does: 'zoom in', action: { type: 'zoom', factor: 1.25 } },
  { keys: ['-', '_'], shown: '−', does: 'zoom out', action: { type: 'zoom', factor: 0.8 } },
  { keys: ['0'], shown: '0', does: 'whole slice (no zoom)', action: { type: 'zoom', factor: null } },
  { keys: ['?'], shown: '?', does: 'this help', action: { type: 'help' } },
]

export interface KeyPress {
  readonly key: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly altKey: boolean
}

/** The action of a key press, or null when it is not ours (Alt, or Ctrl/Cmd with another key, stays the browser's). */
export function shortcutFor({ key, ctrlKey, metaKey, altKey }: KeyPress): ShortcutAction | null {
  if (altKey) return null
  const command = ctrlKey || metaKey
  return SHORTCUTS.find((s) => s.keys.includes(key) && Boolean(s.withCommand) === command)?.action ?? null
}

/** Keys typed into a text field are the field's, not shortcuts (sliders, checkboxes and buttons do not take letters). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  return target instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button', 'file'].includes(target.type)
}
