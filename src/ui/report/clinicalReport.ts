/**
 * A lesion report, made in one click from what is open and kept as it was made (later corrections do not change
 * it): the scan, the mask and where it came from, the model and its scores, the lesions, and pictures of the
 * axial slices with the largest lesion area with its outline. Made on this device; nothing leaves it.
 */
import type { DisplayWindow } from '../../volume/displayWindow'
import { axialPicture, slicesWithMostLesion, type SlicePicture } from '../../volume/slicePicture'
import { intensityRange, type Volume } from '../../volume/volume'
import type { MaskSummary, ScanSummary } from '../state/session'

/** Slices pictured: those with the largest lesion area. */
export const REPORT_PICTURES = 3

export interface ReportPicture {
  readonly slice: number
  readonly lesionPixels: number
  /** A PNG data URL. */
  readonly url: string
}

export interface ClinicalReport {
  readonly createdAt: Date
  readonly scan: ScanSummary
  readonly mask: MaskSummary
  /** 'HU' on CT. */
  readonly unit: string
  readonly radiological: boolean
  readonly pictures: readonly ReportPicture[]
}

export interface ReportSource {
  readonly scan: Volume
  readonly mask: Volume
  readonly scanSummary: ScanSummary
  readonly maskSummary: MaskSummary
  /** The display window on screen, or null: the scan's whole range. */
  readonly window: DisplayWindow | null
  readonly radiological: boolean
}

export function makeClinicalReport({ scan, mask, scanSummary, maskSummary, window, radiological }: ReportSource): ClinicalReport {
  const range = intensityRange(scan.data)
  const shown = window ?? { center: (range.min + range.max) / 2, width: Math.max(1e-6, range.max - range.min) }
  const pictures = slicesWithMostLesion(mask, REPORT_PICTURES).map((slice) => {
    const picture = axialPicture(scan, mask, slice, shown, radiological)
    return { slice, lesionPixels: picture.lesionPixels, url: pngDataUrl(picture) }
  })
  return { createdAt: new Date(), scan: scanSummary, mask: maskSummary, unit: scanSummary.modality === 'CT' ? 'HU' : '', radiological, pictures }
}

/** The picture as a PNG, its pixels stretched to their true aspect (at least 256 px wide). */
function pngDataUrl(picture: SlicePicture): string {
  const pixels = document.createElement('canvas')
  pixels.width = picture.width
  pixels.height = picture.height
  pixels.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(picture.rgba), picture.width, picture.height), 0, 0)
  const scale = Math.max(1, Math.ceil(256 / picture.width))
  const shown = document.createElement('canvas')
  shown.width = picture.width * scale
  shown.height = Math.round(picture.height * picture.pixelAspect * scale)
  const context = shown.getContext('2d')!
  context.imageSmoothingEnabled = false // the outline stays one voxel sharp
  context.drawImage(pixels, 0, 0, shown.width, shown.height)
  return shown.toDataURL('image/png')
}
