import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'fflate'
import { afterEach, describe, expect, it } from 'vitest'
import { describeWithRealData, readRealFile } from '../../../testing/realData'
import { datasetDigest, findDataset, loadCase, readSplit, splitCases } from './datasetLayout'

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))
function tree(files: string[]): string {
  dir = mkdtempSync(join(tmpdir(), 'strokeseg-layout-'))
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true })
    writeFileSync(join(dir, f), f.endsWith('.json') ? '{}' : '')
  }
  return dir
}

describe('dataset layouts', () => {
  it('reads the simple layout', () => {
    const d = findDataset(tree(['images/a.nii.gz', 'images/b.nii.gz', 'masks/a.nii.gz', 'masks/b.nii.gz']))
    expect(d.layout).toBe('simple')
    expect(d.cases.map((c) => c.id)).toEqual(['a', 'b'])
  })

  it('names the missing mask of the simple layout', () => {
    expect(() => findDataset(tree(['images/a.nii.gz', 'masks/b.nii.gz']))).toThrow(/a.nii.gz has no mask/)
  })

  it('reads ATLAS R2.0 BIDS, one case per subject and session', () => {
    const d = findDataset(
      tree([
        'sub-r001s001/ses-1/anat/sub-r001s001_ses-1_space-MNI152NLin2009aSym_T1w.nii.gz',
        'sub-r001s001/ses-1/anat/sub-r001s001_ses-1_space-MNI152NLin2009aSym_label-L_desc-T1lesion_mask.nii.gz',
      ]),
    )
    expect(d.layout).toBe('atlas-bids')
    expect(d.cases[0].id).toBe('sub-r001s001_ses-1')
    expect(d.cases[0].image).toMatch(/_T1w\.nii\.gz$/)
  })

  it('reads ISLES-style masks beside their images', () => {
    const d = findDataset(tree(['case7/flair.nii.gz', 'case7/flair_msk.nii.gz']))
    expect(d.layout).toBe('isles')
    expect(d.cases[0].image).toMatch(/flair\.nii\.gz$/)
  })

  it('explains the layouts it knows when none matches', () => {
    expect(() => findDataset(tree(['notes.txt']))).toThrow(/matches no dataset layout.*ATLAS.*ISLES/s)
  })
})

describe('splits', () => {
  const ids = Array.from({ length: 40 }, (_, i) => `case${i}`)
  it('puts every case in exactly one split, the same for the same seed', () => {
    const split = splitCases(ids, 3)
    const all = [...split.train, ...split.validation, ...split.test]
    expect(new Set(all).size).toBe(40)
    expect(all.sort()).toEqual([...ids].sort())
    expect(split.validation).toHaveLength(6)
    expect(splitCases(ids, 3)).toEqual(split)
    expect(splitCases(ids, 4)).not.toEqual(split)
  })

  it('refuses a split.json with a case in two splits', () => {
    const d = tree([])
    writeFileSync(join(d, 'split.json'), JSON.stringify({ train: ['a'], validation: ['a'], test: [] }))
    expect(() => readSplit(join(d, 'split.json'))).toThrow(/'a' is in both train and validation/)
  })
})

describeWithRealData('datasetDigest', () => {
  /** A simple-layout dataset of one case: the real T2 and its expert mask, gzipped at `level`, the mask's voxel `flip` inverted. */
  function dataset(id: string, level: 0 | 9, flip?: number): string {
    const [image, mask] = ['T2.nii', 'lesionT2.nii'].map((f) => readRealFile(`lesion/clinical_t2/${f}`))
    if (flip !== undefined) mask[352 + flip] ^= 1 // NIfTI-1 voxels start at byte 352
    const root = mkdtempSync(join(tmpdir(), 'strokeseg-digest-'))
    for (const [sub, bytes] of [['images', image], ['masks', mask]] as const) {
      mkdirSync(join(root, sub))
      writeFileSync(join(root, sub, `${id}.nii.gz`), gzipSync(bytes, { level }))
    }
    return root
  }

  it('is the same for the same volumes however they were gzipped, and differs when one voxel or the case id does', async () => {
    const roots = [dataset('a', 9), dataset('a', 0), dataset('a', 9, 1000), dataset('b', 9)]
    try {
      const [same, regzipped, oneVoxel, renamed] = await Promise.all(roots.map((root) => datasetDigest(findDataset(root).cases.map(loadCase))))
      expect(same).toMatch(/^[0-9a-f]{16}$/)
      expect(regzipped).toBe(same)
      expect(oneVoxel).not.toBe(same)
      expect(renamed).not.toBe(same)
    } finally {
      for (const root of roots) rmSync(root, { recursive: true, force: true })
    }
  })
})
