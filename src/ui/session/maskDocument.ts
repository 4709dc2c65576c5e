/**
 * The mask the user works on, as a document: its voxels (a Volume on the open scan's grid), where it came from,
 * whether it is in a file, the undo history of hand corrections, and their drafts, saved on this device as they
 * happen and one after another (an older save never lands after a newer one). No React, no viewer: the session
 * hook drives it and shows what it returns.
 */
import type { MaskDraft } from '../../io/drafts/maskDrafts'
import { MaskEditHistory } from '../../volume/maskEditHistory'
import type { Volume } from '../../volume/volume'

/** Where drafts are kept: IndexedDB in the browser (maskDrafts.ts), keyed by the scan's content hash. */
export interface DraftStore {
  save(key: string, draft: MaskDraft): Promise<void>
  load(key: string): Promise<MaskDraft | null>
  delete(key: string): Promise<void>
}

export class MaskDocument {
  private current: Volume | null = null
  private label = ''
  /** The mask is in a file: opened from one, or saved since its last change (then nothing is lost by closing it). */
  private inFile = true
  private readonly history = new MaskEditHistory()
  /** The open scan's content hash, the key of its drafts (a Promise: hashing takes a moment); null without a scan. */
  private scanKey: Promise<string> | null = null
  private saves: Promise<void> = Promise.resolve()

  /**
   * @param drafts where corrections are saved as they happen
   * @param onDraftFailed told when a draft could not be saved (the user must save the mask before leaving)
   */
  constructor(
    private readonly drafts: DraftStore,
    private readonly onDraftFailed: (error: Error) => void,
  ) {}

  get mask(): Volume | null {
    return this.current
  }

  /** A mask the user would lose by closing it: changed since it was opened from or saved to a file. */
  get unsaved(): boolean {
    return this.current !== null && !this.inFile
  }

  get undoable(): number {
    return this.history.undoable
  }

  /** Another scan: no mask yet; drafts go under `scanKey` from now on. */
  openScan(scanKey: Promise<string> | null): void {
    this.current = null
    this.scanKey = scanKey
    this.history.clear()
  }

  /** Shows `mask` (a segmentation, a file, a drawing, a draft); `inFile` when it came from a file. */
  show(mask: Volume, label: string, inFile: boolean): void {
    this.current = mask
    this.label = label
    this.inFile = inFile
    this.history.clear()
  }

  /** A pen, eraser or fill stroke left the mask as `voxels`: the edited mask, or null when nothing changed. */
  stroke(voxels: Uint8Array): Volume | null {
    if (!this.current || this.history.record(this.current.data, voxels) === 0) return null
    return this.edited(voxels)
  }

  /** Takes back the last stroke: the mask before it, or null when there is nothing to undo. */
  undo(): Volume | null {
    const restored = this.current && this.history.undo(this.current.data)
    return restored ? this.edited(restored) : null
  }

  /** The mask was written to a file: nothing to offer again after a reload, so its draft goes. */
  saved(): void {
    this.inFile = true
    void this.scanKey?.then((key) => this.drafts.delete(key)).catch(() => undefined)
  }

  /** The corrections saved on this device for the open scan, if they fit it. */
  async draft(voxelCount: number): Promise<MaskDraft | null> {
    const draft = await this.scanKey?.then((key) => this.drafts.load(key)).catch(() => null)
    return draft && draft.voxels.length === voxelCount ? draft : null
  }

  /** Forgets the open scan's draft. */
  async discardDraft(): Promise<void> {
    await this.scanKey?.then((key) => this.drafts.delete(key)).catch(() => undefined)
  }

  private edited(voxels: Uint8Array): Volume {
    const edited: Volume = { ...this.current!, data: voxels }
    this.current = edited
    this.inFile = false
    const key = this.scanKey
    const draft = { voxels, label: this.label, savedAt: Date.now() }
    if (key) this.saves = this.saves.then(() => key).then((k) => this.drafts.save(k, draft)).catch((e: Error) => this.onDraftFailed(e))
    return edited
  }
}
