import { describe, expect, it } from 'vitest'
import type { MaskDraft } from '../../io/drafts/maskDrafts'
import { emptyMaskOn, type Volume } from '../../volume/volume'
import { LatestRequest } from './latestRequest'
import { MaskDocument, type DraftStore } from './maskDocument'

const scan: Volume = { name: 'scan.nii', dims: [4, 3, 2], spacing: [1, 1, 1], affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], data: new Float32Array(24), datatype: 'float32', scaling: null, modality: 'MR' }

/** Drafts in a Map, each save resolving after `delays[n]` ms (so that a later save can finish first). */
function memoryDrafts(delays: number[] = []) {
  const stored = new Map<string, MaskDraft>()
  const saves: string[] = []
  const store: DraftStore = {
    save: (key, draft) => new Promise((resolve) => setTimeout(() => {
      stored.set(key, draft)
      saves.push(Array.from(draft.voxels).join(''))
      resolve()
    }, delays.shift() ?? 0)),
    load: async (key) => stored.get(key) ?? null,
    delete: async (key) => void stored.delete(key),
  }
  return { store, stored, saves }
}

const withVoxels = (lesion: readonly number[]) => Uint8Array.from({ length: 24 }, (_, i) => (lesion.includes(i) ? 1 : 0))
const settle = () => new Promise((resolve) => setTimeout(resolve, 50))

describe('MaskDocument', () => {
  it('keeps strokes and undoes them in reverse order; a mask from a file is saved until it is edited', () => {
    const doc = new MaskDocument(memoryDrafts().store, () => {})
    doc.openScan(Promise.resolve('key'))
    doc.show({ ...emptyMaskOn(scan, 'mask'), data: withVoxels([1]) }, 'lesion.nii', true)
    expect(doc.unsaved).toBe(false)
    expect(doc.stroke(withVoxels([1]))).toBeNull() // nothing changed
    expect(doc.undoable).toBe(0)
    expect(Array.from(doc.stroke(withVoxels([1, 2]))!.data)).toEqual(Array.from(withVoxels([1, 2])))
    doc.stroke(withVoxels([2]))
    expect(doc.unsaved).toBe(true)
    expect(doc.undoable).toBe(2)
    expect(Array.from(doc.undo()!.data)).toEqual(Array.from(withVoxels([1, 2])))
    expect(Array.from(doc.undo()!.data)).toEqual(Array.from(withVoxels([1])))
    expect(doc.undo()).toBeNull()
    doc.saved()
    expect(doc.unsaved).toBe(false)
  })

  it('saves drafts in the order of the strokes, even when an earlier save is slower, and deletes them once saved to a file', async () => {
    const drafts = memoryDrafts([40, 0])
    const doc = new MaskDocument(drafts.store, () => {})
    doc.openScan(Promise.resolve('key'))
    doc.show(emptyMaskOn(scan, 'mask'), 'segmentation', false)
    doc.stroke(withVoxels([3]))
    doc.stroke(withVoxels([3, 4]))
    await settle()
    expect(drafts.saves).toHaveLength(2)
    expect(Array.from((await doc.draft(24))!.voxels)).toEqual(Array.from(withVoxels([3, 4])))
    expect(await doc.draft(25)).toBeNull() // a draft of another grid does not fit
    doc.saved()
    await settle()
    expect(drafts.stored.size).toBe(0)
  })

  it('reports a draft that could not be saved, and keeps the edit', async () => {
    const failures: string[] = []
    const doc = new MaskDocument({ ...memoryDrafts().store, save: async () => Promise.reject(new Error('quota exceeded')) }, (e) => failures.push(e.message))
    doc.openScan(Promise.resolve('key'))
    doc.show(emptyMaskOn(scan, 'mask'), 'drawn', false)
    expect(doc.stroke(withVoxels([5]))).not.toBeNull()
    await settle()
    expect(failures).toEqual(['quota exceeded'])
    expect(doc.mask!.data[5]).toBe(1)
  })

  it('forgets the mask and its history when another scan opens', () => {
    const doc = new MaskDocument(memoryDrafts().store, () => {})
    doc.openScan(Promise.resolve('a'))
    doc.show(emptyMaskOn(scan, 'mask'), 'drawn', false)
    doc.stroke(withVoxels([0]))
    doc.openScan(Promise.resolve('b'))
    expect([doc.mask, doc.unsaved, doc.undoable]).toEqual([null, false, 0])
  })
})

describe('LatestRequest', () => {
  it('keeps only the newest request current', () => {
    const requests = new LatestRequest()
    const first = requests.begin()
    expect(first.current()).toBe(true)
    const second = requests.begin()
    expect([first.current(), second.current()]).toEqual([false, true])
  })
})
