import { describe, expect, it } from 'vitest'
import { MaskEditHistory } from './maskEditHistory'

describe('MaskEditHistory', () => {
  it('undoes edits one by one, last first, back to the original voxels', () => {
    const history = new MaskEditHistory()
    const original = Uint8Array.from([0, 1, 1, 0, 0, 0])
    const drawn = Uint8Array.from([1, 1, 1, 1, 0, 0]) // pen: voxels 0 and 3
    const erased = Uint8Array.from([1, 0, 1, 1, 0, 0]) // eraser: voxel 1
    expect(history.record(original, drawn)).toBe(2)
    expect(history.record(drawn, erased)).toBe(1)
    expect(history.undoable).toBe(2)
    const once = history.undo(erased)!
    expect(Array.from(once)).toEqual(Array.from(drawn))
    expect(Array.from(history.undo(once)!)).toEqual(Array.from(original))
    expect(history.undo(original)).toBeNull()
    expect(Array.from(erased)).toEqual([1, 0, 1, 1, 0, 0]) // inputs are never changed
  })

  it('records nothing for an edit that changed nothing, and keeps only the last `depth` edits', () => {
    const history = new MaskEditHistory(2)
    const masks = [[0, 0], [1, 0], [1, 1], [0, 1]].map((m) => Uint8Array.from(m))
    expect(history.record(masks[0], Uint8Array.from(masks[0]))).toBe(0)
    for (let i = 1; i < masks.length; i++) history.record(masks[i - 1], masks[i])
    expect(history.undoable).toBe(2)
    expect(Array.from(history.undo(masks[3])!)).toEqual([1, 1])
    expect(Array.from(history.undo(masks[2])!)).toEqual([1, 0])
    expect(history.undo(masks[1])).toBeNull()
  })

  it('refuses an edit that changes the size of the mask', () => {
    expect(() => new MaskEditHistory().record(new Uint8Array(4), new Uint8Array(5))).toThrow(/4 -> 5 voxels/)
  })
})
