import { describe, expect, it } from 'vitest'
import { SHORTCUTS, shortcutFor } from './keyboard'

const press = (key: string, held: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
  shortcutFor({ key, ctrlKey: false, metaKey: false, altKey: false, ...held })

describe('shortcutFor', () => {
  it('maps the reading keys to their actions', () => {
    expect(press('z', { ctrlKey: true })).toEqual({ type: 'undo' })
    expect(press('Z', { metaKey: true })).toEqual({ type: 'undo' }) // Cmd+Z on a Mac, Caps Lock on
    expect(press('p')).toEqual({ type: 'tool', tool: 'pen' })
    expect(press('E')).toEqual({ type: 'tool', tool: 'eraser' })
    expect(press('PageDown')).toEqual({ type: 'slice', step: -1 })
    expect(press('m')).toEqual({ type: 'toggle-mask' })
    expect(press('0')).toEqual({ type: 'zoom', factor: null })
  })

  it('leaves the browser its own shortcuts and unknown keys', () => {
    expect(press('z')).toBeNull() // undo needs Ctrl or Cmd
    expect(press('p', { ctrlKey: true })).toBeNull() // print
    expect(press('f', { altKey: true })).toBeNull()
    expect(press('q')).toBeNull()
  })

  it('gives each key one meaning', () => {
    const seen = SHORTCUTS.flatMap((s) => s.keys.map((k) => `${s.withCommand ? 'cmd+' : ''}${k}`))
    expect(new Set(seen).size).toBe(seen.length)
  })
})
