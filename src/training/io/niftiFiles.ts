/** NIfTI files and folders of them on disk, for the Node CLIs: one reader with the file named in its errors. */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parseBValues, readingNotes, readNiftiScan } from '../../io/nifti/diffusion'
import type { Volume } from '../../volume/volume'

export const NIFTI_FILE = /\.nii(\.gz)?$/i

export function readNiftiFile(path: string): Volume {
  return readScanFile(path).volume
}

/**
 * A NIfTI scan on disk and what its reader should be told: a 4-D file with a `.bval` beside it (the same
 * name stem, as dcm2niix and FSL write them) opens as its trace-weighted image (io/nifti/diffusion.ts), at b = traceB.
 */
export function readScanFile(path: string): { volume: Volume; notes: string[]; traceB: number | null } {
  try {
    const bValuesPath = path.replace(NIFTI_FILE, '.bval')
    const bValues = bValuesPath !== path && existsSync(bValuesPath) ? parseBValues(readFileSync(bValuesPath, 'utf8')) : undefined
    const reading = readNiftiScan(new Uint8Array(readFileSync(path)), basename(path), { bValues })
    const notes = readingNotes(reading, { bValuesFrom: basename(bValuesPath), addBValues: 'put its .bval beside it' })
    return { volume: reading.volume, notes, traceB: reading.diffusion?.b ?? null }
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
