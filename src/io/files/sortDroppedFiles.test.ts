import { zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { writeNifti } from '../nifti/writeNifti'
import type { Volume } from '../../volume/volume'
import { sortDroppedFiles, type NamedBytes } from './sortDroppedFiles'
import { unzipEntries } from './unzipEntries'

const tiny: Volume = {
  name: 'tiny',
  dims: [2, 2, 2],
  spacing: [1, 1, 1],
  affine: [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ],
  data: new Uint8Array(8),
  datatype: 'uint8',
  scaling: null,
  modality: 'MR',
}

function file(name: string, bytes: Uint8Array, path = ''): NamedBytes {
  return { name, path, bytes }
}

function dicomBytes(): Uint8Array {
  const b = new Uint8Array(300)
  b.set([0x44, 0x49, 0x43, 0x4d], 128) // 'DICM' after the 128-byte preamble
  return b
}

describe('sortDroppedFiles', () => {
  it('recognises NIfTI by name or header, DICOM by its DICM marker, zips by signature', () => {
    const sorted = sortDroppedFiles([
      file('scan.nii.gz', writeNifti(tiny)),
      file('noextension', writeNifti(tiny, { gzip: false })),
      file('IM0001', dicomBytes()),
      file('IM0002', dicomBytes()),
      file('series.zip', zipSync({ 'a.dcm': dicomBytes() })),
    ])
    expect(sorted.sources.map((s) => s.kind)).toEqual(['nifti', 'nifti', 'dicom'])
    expect(sorted.sources[2]).toMatchObject({ kind: 'dicom', files: [{ name: 'IM0001' }, { name: 'IM0002' }] })
    expect(sorted.zips.map((z) => z.name)).toEqual(['series.zip'])
    expect(sorted.rejected).toEqual([])
  })

  it('pairs .hdr with .img by name and complains about a lonely half', () => {
    const sorted = sortDroppedFiles([
      file('a.hdr', new Uint8Array(348)),
      file('a.img', new Uint8Array(8)),
      file('b.hdr', new Uint8Array(348)),
      file('c.img', new Uint8Array(8)),
    ])
    expect(sorted.sources).toMatchObject([{ kind: 'nifti-pair', header: { name: 'a.hdr' }, image: { name: 'a.img' } }])
    expect(sorted.rejected).toEqual([
      { name: 'b.hdr', reason: 'a .hdr needs its .img: drop b.img together with it' },
      { name: 'c.img', reason: 'a .img needs its .hdr: drop c.hdr together with it' },
    ])
  })

  it("gives a NIfTI the .bval of the same name (a diffusion series), skips .bvec and a .bval without its scan", () => {
    const bval = file('dwi.bval', new TextEncoder().encode('0 1000'), 'case1/dwi.bval')
    const sorted = sortDroppedFiles([
      file('dwi.nii.gz', writeNifti(tiny), 'case1/dwi.nii.gz'),
      bval,
      file('dwi.bvec', new TextEncoder().encode('0 1 0'), 'case1/dwi.bvec'),
      file('adc.nii.gz', writeNifti(tiny), 'case1/adc.nii.gz'),
      file('dwi.bval', new TextEncoder().encode('0 1000'), 'case2/dwi.bval'),
    ])
    expect(sorted.sources).toMatchObject([
      { kind: 'nifti', file: { name: 'dwi.nii.gz' }, bValues: bval },
      { kind: 'nifti', file: { name: 'adc.nii.gz' } },
    ])
    expect(sorted.sources[1]).not.toHaveProperty('bValues')
    expect(sorted.rejected).toEqual([])
    expect(sorted.skipped).toEqual([
      { name: 'dwi.bvec', reason: 'not a scan (a text, sidecar or system file)' },
      { name: 'dwi.bval', reason: 'b-values without their scan (drop the .nii or .nii.gz of the same name with it)' },
    ])
  })

  it('rejects text and empty files by name, and skips sidecars quietly', () => {
    const sorted = sortDroppedFiles([
      file('notes.docx', new TextEncoder().encode('hello')),
      file('empty.nii', new Uint8Array(0)),
      file('scan.json', new TextEncoder().encode('{}')),
      file('.DS_Store', new Uint8Array(10)),
    ])
    expect(sorted.sources).toEqual([])
    expect(sorted.rejected.map((r) => r.name)).toEqual(['notes.docx', 'empty.nii'])
    expect(sorted.rejected[0].reason).toMatch(/not a NIfTI, DICOM or zip file/)
    expect(sorted.rejected[1].reason).toMatch(/empty/)
    expect(sorted.skipped.map((r) => r.name)).toEqual(['scan.json', '.DS_Store'])
  })
})

describe('unzipEntries', () => {
  it('lists the files of an archive with their paths, without folders and __MACOSX', () => {
    const zip = zipSync({ 'series/1.dcm': dicomBytes(), 'series/': new Uint8Array(0), '__MACOSX/._1.dcm': new Uint8Array(3) })
    const entries = unzipEntries(file('study.zip', zip))
    expect(entries.map((e) => [e.name, e.path])).toEqual([['1.dcm', 'study.zip/series/1.dcm']])
  })

  it('names a damaged archive', () => {
    const zip = zipSync({ 'a.dcm': dicomBytes() })
    expect(() => unzipEntries(file('bad.zip', zip.slice(0, 40)))).toThrow(/zip archive is damaged/)
  })
})
