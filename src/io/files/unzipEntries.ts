import { unzipSync } from 'fflate'
import type { NamedBytes } from './sortDroppedFiles'

/** The files inside a zip archive (folders and macOS resource forks left out). */
export function unzipEntries(archive: NamedBytes): NamedBytes[] {
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(archive.bytes)
  } catch (e) {
    throw new Error(`the zip archive is damaged (${(e as Error).message})`, { cause: e })
  }
  return Object.entries(entries)
    .filter(([path]) => !path.endsWith('/') && !path.startsWith('__MACOSX/'))
    .map(([path, bytes]) => ({ name: path.split('/').pop() ?? path, path: `${archive.name}/${path}`, bytes }))
}
