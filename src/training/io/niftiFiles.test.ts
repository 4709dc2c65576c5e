import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { describeWithRealData, readRealFile, realFile } from '../../../testing/realData'
import { readNifti } from '../../io/nifti/readNifti'
import { readScanFile } from './niftiFiles'

describeWithRealData('scans on disk for the CLIs', () => {
  const work = mkdtempSync(join(tmpdir(), 'strokeseg-scanfile-'))
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it("a 4-D file reads its first volume and says so; with a .bval of the same name beside it, its strongest diffusion weighting", () => {
    const scan = join(work, 'dwi.nii.gz')
    copyFileSync(realFile('edge/example4d.nii.gz'), scan)
    const [first, second] = [0, 1].map((frame) => readNifti(readRealFile('edge/example4d.nii.gz'), 'example4d', { frame }).volume.data)
    const plain = readScanFile(scan)
    expect(plain.notes).toEqual(['4-D file with 2 volumes: volume 1 read (a diffusion series? put its .bval beside it to see the highest b-value)'])
    expect(plain.volume.data).toEqual(first)
    expect(plain.traceB).toBeNull()
    writeFileSync(join(work, 'dwi.bval'), '0 1000\n')
    const diffusion = readScanFile(scan)
    expect(diffusion.notes).toEqual(['diffusion-weighted, b-values 0, 1000 (2 volumes): the b = 1000 image, volume 2 (b-values from dwi.bval)'])
    expect(diffusion.volume.data).toEqual(second)
    expect(diffusion.traceB).toBe(1000)
    writeFileSync(join(work, 'dwi.bval'), '0 1000 1000\n')
    expect(() => readScanFile(scan)).toThrow(`cannot read ${scan}: its .bval lists 3 b-values for 2 volumes: it belongs to another scan`)
  })
})
