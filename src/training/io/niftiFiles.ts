/** NIfTI files and folders of them on disk, for the Node CLIs: one reader with the file named in its errors. */
import { readFileSync, readdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { readNifti } from '../../io/nifti/readNifti'
import type { Volume } from '../../volume/volume'

export const NIFTI_FILE = /\.nii(\.gz)?$/i

export function readNiftiFile(path: string): Volume {
  try {
    return readNifti(new Uint8Array(readFileSync(path)), basename(path)).volume
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message}`, { cause: e })
  }
}

/** Every file under dir (recursively), sorted, so that a seed picks the same ones everywhere. */
export function listFilesRecursively(dir: string): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...listFilesRecursively(path))
    else files.push(path)
  }
  return files.sort()
}
