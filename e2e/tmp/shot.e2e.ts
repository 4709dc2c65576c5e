import { test } from '@playwright/test'
import { dropFiles, openApp, pickFiles } from '../support/app'
import { realFile } from '../support/realData'
test('shot', async ({ page }) => {
  await openApp(page)
  await dropFiles(page, [realFile('lesion/niivue_flair/FLAIR.nii.gz')])
  await pickFiles(page, 'mask-input', realFile('lesion/niivue_flair/lesion.nii.gz'))
  await page.getByTestId('view-axial').click()
  await page.getByTestId('lesion-list').getByRole('button').first().click()
  await page.waitForTimeout(500)
  await page.getByTestId('viewer-canvas').screenshot({ path: '.scratch/shot1.png' })
  await page.getByTestId('tool-pen').click()
  await page.waitForTimeout(500)
  await page.getByTestId('viewer-canvas').screenshot({ path: '.scratch/shot2.png' })
})
