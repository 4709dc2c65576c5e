/**
 * Hand corrections saved as they happen, so that a crash, a closed tab or a reload loses nothing: the edited
 * mask of a scan is kept on this device in IndexedDB (never sent anywhere), under a hash of the scan's
 * content, so dropping the same scan again, from any file or folder name, finds it. The store is browser only; the
 * content key and its hash work in Node too (dataset digests: training/data/datasetLayout.ts).
 */
import { gunzipSync, gzipSync } from 'fflate'
import type { Volume } from '../../volume/volume'

export interface MaskDraft {
  /** Mask voxels in the scan's native order, 1 = lesion. */
  readonly voxels: Uint8Array
  /** Where the mask came from before the corrections, e.g. "segmentation (StrokeSeg t1 transplant)". */
  readonly label: string
  /** Date.now() of the last saved correction. */
  readonly savedAt: number
}

interface StoredDraft {
  readonly key: string
  readonly gzippedVoxels: Uint8Array
  readonly length: number
  readonly label: string
  readonly savedAt: number
}

const DATABASE = 'strokeseg'
const STORE = 'mask-drafts'

/** SHA-256 of the scan's dims and voxel bytes: the same scan gets the same key whatever its file name. */
export async function scanContentKey(scan: Volume): Promise<string> {
  const dims = new TextEncoder().encode(`${scan.dims.join('x')}:${scan.datatype}:`)
  const voxels = new Uint8Array(scan.data.buffer, scan.data.byteOffset, scan.data.byteLength)
  const bytes = new Uint8Array(dims.length + voxels.length)
  bytes.set(dims)
  bytes.set(voxels, dims.length)
  return sha256Hex(bytes)
}

/** SHA-256 of the bytes, as 64 lower-case hex digits. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' })
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(new Error(`the browser's storage could not be opened: ${request.error?.message ?? 'unknown error'}`))
  })
}

async function withStore<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const database = await openDatabase()
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = database.transaction(STORE, mode)
      const request = body(transaction.objectStore(STORE))
      transaction.oncomplete = () => resolve(request.result)
      transaction.onerror = () => reject(new Error(`the browser's storage failed: ${transaction.error?.message ?? 'unknown error'}`))
      transaction.onabort = () => reject(new Error(`the browser's storage refused the change: ${transaction.error?.message ?? 'aborted'}`))
    })
  } finally {
    database.close()
  }
}

export async function saveMaskDraft(key: string, draft: MaskDraft): Promise<void> {
  const stored: StoredDraft = {
    key,
    gzippedVoxels: gzipSync(draft.voxels, { level: 1 }), // masks are mostly zeros: a few kB
    length: draft.voxels.length,
    label: draft.label,
    savedAt: draft.savedAt,
  }
  await withStore('readwrite', (store) => store.put(stored))
}

export async function loadMaskDraft(key: string): Promise<MaskDraft | null> {
  const stored = (await withStore('readonly', (store) => store.get(key))) as StoredDraft | undefined
  if (!stored) return null
  const voxels = gunzipSync(stored.gzippedVoxels)
  if (voxels.length !== stored.length) return null
  return { voxels, label: stored.label, savedAt: stored.savedAt }
}

export async function deleteMaskDraft(key: string): Promise<void> {
  await withStore('readwrite', (store) => store.delete(key))
}
