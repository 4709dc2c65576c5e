/**
 * Our terms in niivue's: a Volume as an NVImage, the way between niivue's drawing bitmap and a scan's native
 * voxel order, layouts as slice types, crosshair styles as widths.
 */
import { NVImage, SLICE_TYPE } from '@niivue/niivue'
import { writeNifti } from '../io/nifti/writeNifti'
import type { Volume } from '../volume/volume'
import type { CrosshairStyle, ViewLayout } from './viewOptions'

export const SLICE_TYPES: Readonly<Record<ViewLayout, SLICE_TYPE>> = {
  axial: SLICE_TYPE.AXIAL,
  coronal: SLICE_TYPE.CORONAL,
  sagittal: SLICE_TYPE.SAGITTAL,
  multiplanar: SLICE_TYPE.MULTIPLANAR,
  render: SLICE_TYPE.RENDER,
}

export const CROSSHAIR_WIDTHS: Readonly<Record<CrosshairStyle, number>> = { thick: 1, thin: 0.25, hidden: 0 }

/**
 * Visits every voxel of the scan with its index in niivue's drawing bitmap (RAS order: the scan's axes
 * permuted and flipped towards Right, Anterior, Superior) and its index in the scan's native order.
 */
export function forEachDrawingVoxel(image: NVImage, visit: (drawingIndex: number, nativeIndex: number) => void): void {
  const [, nx, ny, nz] = image.dimsRAS!
  const [sx, sy, sz] = image.img2RASstep!
  const [ox, oy, oz] = image.img2RASstart!
  let drawing = 0
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const rowStart = ox + oy + y * sy + oz + z * sz
      for (let x = 0; x < nx; x++) visit(drawing++, rowStart + x * sx)
    }
  }
}

/** niivue parses the NIfTI we write, so it shows exactly our Volume: same voxels, same affine. */
export function toNVImage(volume: Volume, name: string): Promise<NVImage> {
  return NVImage.loadFromUrl({ url: writeNifti(volume, { gzip: false }), name })
}
