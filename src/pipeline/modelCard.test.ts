import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { contrastFitNotice, modelFitNotice, parseModelCard, realScanSummary, leftOutNotice, type ModelCard } from './modelCard'
import { recogniseContrast } from './scanContrast'

const base = parseModelCard(JSON.parse(readFileSync('models/mr/model-card.json', 'utf8'))) as ModelCard
const withReal = (realScans: ModelCard['metrics']['realScans']): ModelCard => ({ ...base, metrics: { ...base.metrics, realScans } })

describe('realScanSummary', () => {
  it('gives the Dice on each real stroke scan, what it marks on healthy heads, and the contrasts checked', () => {
    const card = withReal({
      scores: [
        { id: 'stroke-flair', contrast: 'FLAIR', dice: 0.512, predictedMl: 30, referenceMl: 32.5 },
        { id: 'stroke-t2', contrast: 'T2', dice: 0.05, predictedMl: 3, referenceMl: 37.9 },
        { id: 'healthy-t1', contrast: 'T1', dice: null, predictedMl: 4.4, referenceMl: null },
      ],
      notes: [],
    })
    expect(realScanSummary(card)).toBe('Real scans with a lesion mask: FLAIR Dice 0.51; T2 Dice 0.05; healthy heads: 4 mL marked on T1. Checked on FLAIR, T2, T1.')
  })

  it('says plainly when a model was never checked on a real scan, or why not', () => {
    expect(realScanSummary(withReal(undefined))).toMatch(/never checked on a real scan/)
    expect(realScanSummary(withReal({ scores: [], notes: ['No real CT with a lesion mask was available.'] }))).toBe('Real scans: No real CT with a lesion mask was available.')
  })
})

describe('modelFitNotice', () => {
  const checked = withReal({ scores: [{ id: 'stroke-flair', contrast: 'FLAIR', dice: 0.3, predictedMl: 30, referenceMl: 32.5 }], notes: [] })
  it('says nothing when the model was checked on a real scan of this modality with a lesion mask', () => {
    expect(modelFitNotice(checked, 'MR')).toBeNull()
  })

  it('warns before the run about a scan of the other modality, or a modality never checked on real lesions', () => {
    expect(modelFitNotice(checked, 'CT')).toBe(`This is a CT scan and ${base.name} was made for MR: its result here means little.`)
    const ct = parseModelCard(JSON.parse(readFileSync('models/ct/model-card.json', 'utf8')))
    expect(modelFitNotice(ct, 'CT')).toBe(`${ct.name} was never checked on a real CT scan with a lesion mask: its result on this scan is unverified.`)
    expect(modelFitNotice(withReal({ scores: [{ id: 'healthy-t1', contrast: 'T1', dice: null, predictedMl: 4, referenceMl: null }], notes: [] }), 'MR')).toMatch(/never checked on a real MR scan/)
  })
})

describe('leftOutNotice, seedThreshold and minLesionMl', () => {
  it('says which lesions the mask leaves out, and nothing when it keeps all', () => {
    const keepsAll = { ...base, seedThreshold: undefined, minLesionMl: undefined, brainMask: undefined }
    expect(leftOutNotice({ ...keepsAll, minLesionMl: 1 })).toBe('Lesions under 1 mL are not marked: on validation scans, such marks were mostly false.')
    expect(leftOutNotice({ ...keepsAll, seedThreshold: 0.8 })).toBe('Lesions whose probability nowhere reaches 0.8 are not marked: on validation scans, such marks were mostly false.')
    expect(leftOutNotice({ ...keepsAll, seedThreshold: 0.8, minLesionMl: 1 })).toMatch(/^Lesions whose probability nowhere reaches 0.8 and lesions under 1 mL are not marked/)
    expect(leftOutNotice({ ...keepsAll, seedThreshold: 0.8, minLesionMl: 1, brainMask: { model: '../brain', dilationMm: 4, minShareInside: 0.5 } })).toMatch(
      /^Lesions whose probability nowhere reaches 0.8, lesions under 1 mL and lesions lying mostly outside the brain are not marked/,
    )
    expect(leftOutNotice(keepsAll)).toBeNull()
    expect(leftOutNotice({ ...keepsAll, minLesionMl: 0 })).toBeNull()
  })

  it('refuses a card whose minLesionMl is not a volume or whose seedThreshold is not above its threshold', () => {
    expect(() => parseModelCard({ ...base, minLesionMl: -1 })).toThrow(/minLesionMl/)
    expect(() => parseModelCard({ ...base, minLesionMl: '1' })).toThrow(/minLesionMl/)
    expect(parseModelCard({ ...base, minLesionMl: 0.5 }).minLesionMl).toBe(0.5)
    expect(() => parseModelCard({ ...base, threshold: 0.5, seedThreshold: 0.5 })).toThrow(/seedThreshold/)
    expect(() => parseModelCard({ ...base, threshold: 0.5, seedThreshold: 1 })).toThrow(/seedThreshold/)
    expect(parseModelCard({ ...base, threshold: 0.5, seedThreshold: 0.8 }).seedThreshold).toBe(0.8)
  })

  it('refuses a brainMask without a model folder, with a negative dilation or a share outside (0, 1]', () => {
    const brainMask = { model: '../brain', dilationMm: 4, minShareInside: 0.5 }
    expect(parseModelCard({ ...base, brainMask }).brainMask).toEqual(brainMask)
    expect(() => parseModelCard({ ...base, brainMask: { ...brainMask, model: '' } })).toThrow(/brainMask/)
    expect(() => parseModelCard({ ...base, brainMask: { ...brainMask, dilationMm: -1 } })).toThrow(/brainMask/)
    expect(() => parseModelCard({ ...base, brainMask: { ...brainMask, minShareInside: 0 } })).toThrow(/brainMask/)
  })

  it('takes contrast channels only as distinct known contrasts matching the input channels', () => {
    const told = (contrastChannels: unknown, inputChannels: number) => ({ ...base, architecture: { ...base.architecture, inputChannels }, input: { ...base.input, contrastChannels } })
    expect(parseModelCard(told(['T2', 'DWI', 'ADC'], 4)).input.contrastChannels).toEqual(['T2', 'DWI', 'ADC'])
    expect(() => parseModelCard(told(['T2', 'DWI', 'ADC'], 1))).toThrow(/inputChannels must be 4 \(the scan and 3 contrast channels\), got 1/)
    expect(() => parseModelCard(told(['T2', 'PD'], 3))).toThrow(/contrastChannels must list distinct contrasts/)
    expect(() => parseModelCard(told(['T2', 'T2'], 3))).toThrow(/contrastChannels must list distinct contrasts/)
    expect(() => parseModelCard({ ...base, architecture: { ...base.architecture, inputChannels: 2 } })).toThrow(/inputChannels must be 1 \(the scan and 0 contrast channels\), got 2/)
  })

  it('counts the mirror channel among the input channels, before the contrast channels', () => {
    const mirrored = (inputChannels: number, contrastChannels?: unknown) => ({ ...base, architecture: { ...base.architecture, inputChannels }, input: { ...base.input, mirrorChannel: true, contrastChannels } })
    expect(parseModelCard(mirrored(2)).input.mirrorChannel).toBe(true)
    expect(parseModelCard(mirrored(4, ['T2', 'ADC'])).architecture.inputChannels).toBe(4)
    expect(() => parseModelCard(mirrored(1))).toThrow(/inputChannels must be 2 \(the scan, its mirror and 0 contrast channels\), got 1/)
    expect(() => parseModelCard({ ...base, input: { ...base.input, mirrorChannel: 'yes' } })).toThrow(/mirrorChannel must be true or false/)
  })

  it("warns when a contrast's own model meets another contrast or an unnamed one, and when a model told the contrast is not told this scan's", () => {
    const card = (dir: string) => parseModelCard(JSON.parse(readFileSync(`models/${dir}/model-card.json`, 'utf8')))
    const [t2Model, adcModel] = [card('mr-t2'), card('mr-adc')]
    const flair = recogniseContrast({ fileName: 'FLAIR.nii.gz' })
    expect(contrastFitNotice(t2Model, flair)).toBe(
      `${t2Model.name} was trained on T2 scans alone, and this scan is FLAIR by its file name "FLAIR.nii.gz": its result here means little.`,
    )
    expect(contrastFitNotice(adcModel, null)).toMatch(/trained on ADC scans alone; nothing in this scan's files says which contrast it is/)
    expect(contrastFitNotice(t2Model, recogniseContrast({ fileName: 'T2.nii' }))).toBeNull()
    expect(contrastFitNotice(base, flair)).toBeNull() // every contrast, not told it
    const told: ModelCard = { ...base, architecture: { ...base.architecture, inputChannels: 3 }, input: { ...base.input, contrastChannels: ['T2', 'ADC'] } }
    expect(contrastFitNotice(told, recogniseContrast({ fileName: 'scan_adc.nii' }))).toBeNull()
    expect(contrastFitNotice(told, null)).toBe(`${base.name} is told each scan's contrast (T2, ADC); nothing in this scan's files says which contrast it is, so it segments without being told, as on a random contrast.`)
    expect(contrastFitNotice(told, flair)).toMatch(/this scan is FLAIR by its file name "FLAIR.nii.gz", a contrast it was not told in training, so it segments without being told/)
  })
})
