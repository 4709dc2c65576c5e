/**
 * Undo for hand corrections of a lesion mask. Each edit is stored as the voxels it changed and their old
 * values, not as a copy of the mask: a pen stroke changes hundreds of voxels of a mask that has millions.
 * Pure data; the session feeds it the mask before and after each edit.
 */
import type { VoxelArray } from './volume'

interface MaskEdit {
  /** Native voxel indices the edit changed. */
  readonly indices: Uint32Array
  /** Their values before the edit. */
  readonly before: Uint8Array
}

/** Edits kept for undo; older ones are dropped. */
export const MASK_UNDO_DEPTH = 50

export class MaskEditHistory {
  private edits: MaskEdit[] = []

  constructor(private readonly depth = MASK_UNDO_DEPTH) {}

  /** How many edits can be undone. */
  get undoable(): number {
    return this.edits.length
  }

  /** Records the edit that turned `before` into `after` (same length). Returns how many voxels changed. */
  record(before: VoxelArray, after: VoxelArray): number {
    if (before.length !== after.length) throw new Error(`a mask edit changed the mask's size (${before.length} -> ${after.length} voxels)`)
    const changed: number[] = []
    for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) changed.push(i)
    if (changed.length === 0) return 0
    const indices = Uint32Array.from(changed)
    this.edits.push({ indices, before: Uint8Array.from(indices, (i) => before[i]) })
    if (this.edits.length > this.depth) this.edits.shift()
    return changed.length
  }

  /** The mask before the last edit, as a new array made from `current`; null when there is nothing to undo. */
  undo(current: VoxelArray): Uint8Array | null {
    const edit = this.edits.pop()
    if (!edit) return null
    const restored = Uint8Array.from(current)
    edit.indices.forEach((index, i) => (restored[index] = edit.before[i]))
    return restored
  }

  clear(): void {
    this.edits = []
  }
}
