import { describe, expect, it } from 'vitest'
import { contrastOfImageType, contrastOfText, recogniseContrast } from './scanContrast'

describe('the contrast a scan names', () => {
  it('reads BIDS suffixes, challenge file names and scanner protocol names', () => {
    const named: Record<string, ReturnType<typeof contrastOfText>> = {
      // BIDS, as the acute-stroke challenges publish their scans
      'sub-strokecase0001_ses-0001_adc.nii.gz': 'ADC',
      'sub-strokecase0001_ses-0001_dwi.nii.gz': 'DWI',
      'sub-strokecase0001_ses-0001_FLAIR.nii.gz': 'FLAIR',
      'sub-r001s001_ses-1_T1w.nii.gz': 'T1',
      'sub-01_T2w.nii.gz': 'T2',
      'sub-01_T2star.nii.gz': 'T2*',
      'sub-01_swi.nii.gz': 'T2*',
      // older challenge names and the shared real scans
      'VSD.Brain.XX.O.MR_Flair.70614.nii': 'FLAIR',
      'VSD.Brain.XX.O.MR_ADC.70613.nii': 'ADC',
      'VSD.Brain.XX.O.MR_T2.70612.nii': 'T2',
      'VSD.Brain.XX.O.MR_T1c.70615.nii': 'T1',
      'T2.nii': 'T2',
      'FLAIR.nii.gz': 'FLAIR',
      'chris_t1.nii.gz': 'T1',
      // series descriptions (Siemens, GE, Philips)
      'ep2d_diff_3scan_trace_p2_ADC': 'ADC',
      'ep2d_diff_3scan_trace_p2': 'DWI',
      'Apparent Diffusion Coefficient (mm2/s)': 'ADC',
      'dADC_DWI_SENSE': 'ADC',
      'eADC_DWI_SENSE': 'DWI',
      'Ax DWI 1000b': 'DWI',
      't2_tse_tra_p2': 'T2',
      'AX T2 FSE': 'T2',
      'T2W_TSE': 'T2',
      't2_tirm_tra_dark-fluid': 'FLAIR',
      'AX T2 FLAIR': 'FLAIR',
      't2_spc_da-fl_sag_p2': 'FLAIR',
      'AX T1 FLAIR': 'T1',
      't2_fl2d_tra_hemo': 'T2*',
      'T2*_GRE': 'T2*',
      't1_mprage_sag': 'T1',
    }
    expect(Object.fromEntries(Object.keys(named).map((name) => [name, contrastOfText(name)]))).toEqual(named)
  })

  it('names nothing where no word names a contrast, even when the letters are inside another word', () => {
    for (const name of ['functional.nii', 'ref_1.nii', 'avg152T1_RL_nifti.nii.gz', 'headcoil_survey', 'ax_asc_35sl', 'MR_Tmax', 'scan.nii.gz', 'ep2d_bold']) {
      expect(contrastOfText(name), name).toBeNull()
    }
  })

  it('reads the DICOM image type: ADC maps, trace-weighted images; tensor maps are none of ours', () => {
    expect(contrastOfImageType(['DERIVED', 'PRIMARY', 'DIFFUSION', 'ADC', 'ND', 'NORM'])).toBe('ADC')
    expect(contrastOfImageType(['DERIVED', 'PRIMARY', 'DIFFUSION', 'TRACEW', 'ND', 'NORM'])).toBe('DWI')
    expect(contrastOfImageType(['DERIVED', 'PRIMARY', 'DIFFUSION', 'FA', 'ND'])).toBeNull()
    expect(contrastOfImageType(['ORIGINAL', 'PRIMARY', 'M', 'ND', 'MOSAIC'])).toBeNull()
  })

  it('trusts the image type over the b-values, and both over the words people typed; says where it read it', () => {
    expect(recogniseContrast({ imageType: ['DERIVED', 'PRIMARY', 'ADC'], description: 'DWI', fileName: 'dwi.nii' })).toEqual({
      contrast: 'ADC',
      source: 'its DICOM image type (DERIVED\\PRIMARY\\ADC)',
    })
    expect(recogniseContrast({ traceB: 1000, fileName: 'T2.nii' })).toEqual({ contrast: 'DWI', source: 'it opened as the trace image at b = 1000 s/mm²' })
    expect(recogniseContrast({ traceB: null, description: 't2_tse_tra', fileName: 'flair.nii' })).toEqual({ contrast: 'T2', source: 'its series description "t2_tse_tra"' })
    expect(recogniseContrast({ description: '', fileName: 'sub-1_adc.nii.gz' })).toEqual({ contrast: 'ADC', source: 'its file name "sub-1_adc.nii.gz"' })
    expect(recogniseContrast({ imageType: [], description: 'ax_asc_35sl', fileName: 'ref_1.nii' })).toBeNull()
  })
})
