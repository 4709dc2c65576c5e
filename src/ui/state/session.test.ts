import { describe, expect, it } from 'vitest'
import { INITIAL_SESSION, describeProblem, sessionReducer, type ScanSummary } from './session'

const scan: ScanSummary = {
  label: 'chris_t1.nii.gz',
  dims: [188, 256, 190],
  spacing: [0.88, 0.88, 0.88],
  modality: 'MR',
  likelyModality: 'MR',
  contrast: { contrast: 'T1', source: 'its file name "chris_t1.nii.gz"' },
  datatype: 'uint8',
  orientation: 'RAS',
  notes: [],
  fromDicom: false,
}

describe('sessionReducer', () => {
  it('shows a scan, forgets the previous mask and choices', () => {
    const withMask = sessionReducer(INITIAL_SESSION, { type: 'mask-shown', mask: { label: 'm', origin: 'file', report: { voxels: 1, volumeMl: 0.001, lesions: [] } }, problems: [] })
    const next = sessionReducer({ ...withMask, choices: ['a', 'b'] }, { type: 'scan-shown', scan, window: null, problems: [] })
    expect(next.scan).toBe(scan)
    expect(next.mask).toBeNull()
    expect(next.choices).toBeNull()
    expect(next.status).toMatchObject({ kind: 'info', text: 'Showing chris_t1.nii.gz.' })
  })

  it('keeps a reference mask beside the mask until another scan opens; its comparison follows the mask', () => {
    const report = { voxels: 4, volumeMl: 0.004, lesions: [] }
    const shown = sessionReducer(INITIAL_SESSION, { type: 'scan-shown', scan, window: null, problems: [] })
    const withReference = sessionReducer(shown, { type: 'reference-shown', reference: { label: 'expert.nii', report, comparison: null }, problems: [] })
    expect(withReference.status.text).toBe('Reference expert.nii shown beside the mask.')
    const listed = sessionReducer(withReference, { type: 'listed-mask', listed: 'reference' })
    const comparison = { dice: 0.5, volumeAMl: 0.004, volumeBMl: 0.004, onlyAVoxels: 2, onlyBVoxels: 2, bothVoxels: 2 }
    const compared = sessionReducer(listed, { type: 'comparison', comparison })
    expect(compared.reference?.comparison).toBe(comparison)
    expect(compared.listedMask).toBe('reference')
    const next = sessionReducer(compared, { type: 'scan-shown', scan, window: null, problems: [] })
    expect(next.reference).toBeNull()
    expect(next.listedMask).toBe('mask')
    // Without a reference there is nothing to compare with.
    expect(sessionReducer(shown, { type: 'comparison', comparison }).reference).toBeNull()
  })

  it('turns a success with unreadable files into a warning that names them', () => {
    const problems = [describeProblem({ name: 'notes.txt', reason: 'not a NIfTI, DICOM or zip file' })]
    const next = sessionReducer(INITIAL_SESSION, { type: 'scan-shown', scan: { ...scan, notes: ['4-D file with 2 volumes: showing volume 1'] }, window: null, problems })
    expect(next.status.kind).toBe('warning')
    expect(next.status.text).toBe(
      'Showing chris_t1.nii.gz (4-D file with 2 volumes: showing volume 1). Not loaded: notes.txt: not a NIfTI, DICOM or zip file.',
    )
  })

  it('drops an old error once the user does something else that works', () => {
    const shown = sessionReducer(INITIAL_SESSION, { type: 'scan-shown', scan, window: null, problems: [] })
    const failed = sessionReducer(shown, { type: 'failed', problems: ['m.nii: not on the scan\'s grid.'] })
    const next = sessionReducer(failed, { type: 'layout', layout: 'axial' })
    expect(next.status).toMatchObject({ kind: 'info', text: 'Showing chris_t1.nii.gz.' })
    expect(next.status.seq).toBe(failed.status.seq + 1)
    // A warning that the user must act on stays.
    const warned = sessionReducer(shown, { type: 'warning', text: 'Corrections are not being saved on this device.' })
    expect(sessionReducer(warned, { type: 'layout', layout: 'axial' }).status).toBe(warned.status)
  })

  it('holds a drop while an unsaved mask is shown, and knows when the mask is saved', () => {
    const segmented = sessionReducer(sessionReducer(INITIAL_SESSION, { type: 'scan-shown', scan, window: null, problems: [] }), {
      type: 'mask-shown',
      mask: { label: 'segmentation', origin: 'segmentation', report: { voxels: 1, volumeMl: 0.001, lesions: [] } },
      problems: [],
    })
    expect(segmented.mask?.saved).toBe(false)
    const held = sessionReducer(segmented, { type: 'open-held', files: 'next.nii.gz' })
    expect(held.pendingOpen).toBe('next.nii.gz')
    expect(held.status).toMatchObject({ kind: 'warning', text: 'next.nii.gz waits: the mask on screen is not saved (save it, or open without saving).' })
    expect(sessionReducer(held, { type: 'open-released' }).pendingOpen).toBeNull()
    const saved = sessionReducer(segmented, { type: 'mask-saved', file: 'chris_t1_lesion.nii.gz' })
    expect(saved.mask?.saved).toBe(true)
    expect(saved.status.text).toBe('Mask saved as chris_t1_lesion.nii.gz.')
    expect(sessionReducer(saved, { type: 'mask-edited', report: { voxels: 2, volumeMl: 0.002, lesions: [] }, undoable: 1, undo: false }).mask?.saved).toBe(false)
  })

  it('keeps the scan when a later drop fails', () => {
    const shown = sessionReducer(INITIAL_SESSION, { type: 'scan-shown', scan, window: null, problems: [] })
    const failed = sessionReducer(shown, { type: 'failed', problems: ['bad.nii.gz: the gzip data is damaged or truncated.'] })
    expect(failed.scan).toBe(scan)
    expect(failed.status).toMatchObject({ kind: 'error', text: 'bad.nii.gz: the gzip data is damaged or truncated.' })
    expect(failed.status.seq).toBe(shown.status.seq + 1)
  })

  it('counts every status change, also one that repeats the last text', () => {
    const once = sessionReducer(INITIAL_SESSION, { type: 'failed', problems: ['x: bad.'] })
    const twice = sessionReducer(once, { type: 'failed', problems: ['x: bad.'] })
    expect([once.status.seq, twice.status.seq]).toEqual([1, 2])
    const warned = sessionReducer(twice, { type: 'warning', text: 'w' })
    expect(sessionReducer(warned, { type: 'mask-opacity', percent: 10 }).status).toBe(warned.status) // no message of its own
  })

  it('clamps mask opacity to 0..100 %', () => {
    expect(sessionReducer(INITIAL_SESSION, { type: 'mask-opacity', percent: 140 }).maskOpacity).toBe(100)
    expect(sessionReducer(INITIAL_SESSION, { type: 'mask-opacity', percent: -3 }).maskOpacity).toBe(0)
  })
})
