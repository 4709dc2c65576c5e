/**
 * Files out of a drop event or a file input, with their relative paths, folders walked recursively.
 */
import type { DroppedFile } from '../io/openScanFiles'

/**
 * Must be called synchronously inside the drop handler: DataTransfer items are only readable then.
 * Folder entries are walked afterwards (readEntries returns at most ~100 entries a call, so loop).
 */
export function filesFromDataTransfer(transfer: DataTransfer): Promise<DroppedFile[]> {
  const entries: FileSystemEntry[] = []
  const loose: File[] = []
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue
    const entry = item.webkitGetAsEntry?.()
    if (entry) entries.push(entry)
    else {
      // Synthetic DataTransfers (tests, some browsers) have no FileSystemEntry.
      const file = item.getAsFile()
      if (file) loose.push(file)
    }
  }
  if (entries.length === 0 && loose.length === 0) loose.push(...Array.from(transfer.files))
  return Promise.all(entries.map((e) => walkEntry(e, ''))).then((walked) => [
    ...walked.flat(),
    ...loose.map((file) => ({ file, path: '' })),
  ])
}

export function filesFromInput(list: FileList | null): DroppedFile[] {
  return Array.from(list ?? []).map((file) => ({ file, path: file.webkitRelativePath }))
}

async function walkEntry(entry: FileSystemEntry, parent: string): Promise<DroppedFile[]> {
  const path = parent ? `${parent}/${entry.name}` : entry.name
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))
    return [{ file, path: parent ? path : '' }]
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader()
  const children: FileSystemEntry[] = []
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject))
    if (batch.length === 0) break
    children.push(...batch)
  }
  const nested = await Promise.all(children.map((child) => walkEntry(child, path)))
  return nested.flat()
}
