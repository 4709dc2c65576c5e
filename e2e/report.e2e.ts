/**
 * The report a clinician prints: after a segmentation of the real FLAIR and a hand correction, the report holds
 * the numbers the panel shows, the model and its scores, the correction count and pictures that are not blank;
 * the lesion table also comes as CSV.
 */
import { readFileSync } from 'node:fs'
import { PNG } from 'pngjs'
import { expect, test } from './support/test'
import { drag, dropFiles, expectScanShown, LINE, openApp } from './support/app'
import { realFile, requireRealData } from './support/realData'

test('one click makes a report with the panel\'s numbers, the model, the corrections and outlined slices; CSV too', async ({ page }) => {
  requireRealData()
  test.setTimeout(300_000)
  const errors = await openApp(page, '/?backend=wasm')
  await expectScanShown(page, await dropFiles(page, [realFile('lesion/niivue_flair/FLAIR.nii.gz')]), '124x160x140')
  await page.getByTestId('segment-button').click()
  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 240_000 })
  await page.getByTestId('view-axial').click()
  await page.getByTestId('tool-pen').click()
  await drag(page, LINE)
  await expect(page.getByTestId('edit-count')).toHaveText('1 correction')

  const panelMl = await page.getByTestId('lesion-volume').getAttribute('data-ml')
  const panelRows = await page.getByTestId('lesion-list').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent)))
  expect(panelRows.length).toBeGreaterThan(0)

  await page.getByTestId('report-button').click()
  const report = page.getByTestId('report')
  await expect(report).toBeVisible()
  await expect(page.getByTestId('report-volume')).toHaveAttribute('data-ml', panelMl!)
  await expect(page.getByTestId('report-scan')).toContainText('FLAIR.nii.gz')
  await expect(page.getByTestId('report-scan')).toContainText('MR, 124x160x140 voxels of 1 x 1 x 1 mm')
  await expect(page.getByTestId('report-scan')).toContainText('; FLAIR by its file name "FLAIR.nii.gz"') // the contrast that chose the model
  await expect(page.getByTestId('report-mask')).toContainText('corrected by hand (1 stroke)')
  await expect(page.getByTestId('report-model')).toContainText('StrokeSeg MR')
  await expect(page.getByTestId('report-model')).toContainText('test Dice')
  const reportRows = await page.getByTestId('report-lesions').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent)))
  expect(reportRows.slice(0, panelRows.length)).toEqual(panelRows)

  // Pictures: real images of the head (many grey levels) with the red outline drawn.
  const pictures = page.getByTestId('report-picture')
  await expect(pictures).toHaveCount(3)
  for (const src of await pictures.evaluateAll((images) => images.map((i) => (i as HTMLImageElement).src))) {
    const png = PNG.sync.read(Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64'))
    const greys = new Set<number>()
    let outline = 0
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]]
      if (r === g && g === b) greys.add(r)
      if (r === 255 && g === 40 && b === 40) outline++
    }
    expect(greys.size, 'grey levels of the scan').toBeGreaterThan(50)
    expect(outline, 'outline pixels').toBeGreaterThan(10)
  }

  // The lesion table as CSV: a header and the report's rows.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv-button').click()])
  expect(download.suggestedFilename()).toBe('FLAIR_lesions.csv')
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\n')
  expect(csv[0]).toMatch(/^lesion,volume_ml,largest_diameter_mm/)
  expect(csv.length - 1).toBe(reportRows.length)
  expect(Number(csv[1].split(',')[1])).toBeCloseTo(Number(reportRows[0][0]), 2)

  await page.getByTestId('close-report').click()
  await expect(report).toHaveCount(0)
  expect(errors).toEqual([])
})
