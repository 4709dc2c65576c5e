/**
 * Pictures of axial slices for a printed report: the scan in a display window, grey, with the lesion mask's
 * outline drawn over it in red. Axial in RAS voxel order (whatever the scan's own orientation), anterior up,
 * the subject's right on the left in radiological display and on the right in neurological. Pure: RGBA pixels.
 */
import type { DisplayWindow } from './displayWindow'
import { rasReorientation, sourceIndexOf } from './rasReorientation'
import type { Volume } from './volume'

export interface SlicePicture {
  /** The RAS axial slice (k of the RAS grid). */
  readonly slice: number
  readonly lesionPixels: number
  readonly width: number
  readonly height: number
  /** RGBA, rows top to bottom. */
  readonly rgba: Uint8ClampedArray
  /** Height of a pixel over its width (the slice's spacing along A over along R). */
  readonly pixelAspect: number
}

const OUTLINE: readonly [number, number, number] = [255, 40, 40]

/** The `count` RAS axial slices with the largest lesion area, largest first (none without lesion). */
export function slicesWithMostLesion(mask: Volume, count: number): number[] {
  const r = rasReorientation(mask.affine, mask.dims, mask.spacing)
  const [nx, ny, nz] = r.dims
  const areas = Array.from({ length: nz }, (_, k) => {
    let area = 0
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (mask.data[sourceIndexOf(r, x, y, k)]) area++
    return { k, area }
  })
  return areas.filter((a) => a.area > 0).sort((a, b) => b.area - a.area || a.k - b.k).slice(0, count).map((a) => a.k)
}

export function axialPicture(scan: Volume, mask: Volume, slice: number, window: DisplayWindow, radiological: boolean): SlicePicture {
  const r = rasReorientation(scan.affine, scan.dims, scan.spacing)
  const [nx, ny] = r.dims
  const rgba = new Uint8ClampedArray(nx * ny * 4)
  const low = window.center - window.width / 2
  const lesion = (x: number, y: number) => x >= 0 && y >= 0 && x < nx && y < ny && mask.data[sourceIndexOf(r, x, y, slice)] > 0
  let lesionPixels = 0
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const at = 4 * ((ny - 1 - y) * nx + (radiological ? nx - 1 - x : x)) // anterior up; R left when radiological
      const inside = lesion(x, y)
      if (inside) lesionPixels++
      if (inside && !(lesion(x - 1, y) && lesion(x + 1, y) && lesion(x, y - 1) && lesion(x, y + 1))) {
        rgba.set([...OUTLINE, 255], at)
      } else {
        const grey = (255 * (scan.data[sourceIndexOf(r, x, y, slice)] - low)) / window.width
        rgba.set([grey, grey, grey, 255], at)
      }
    }
  }
  return { slice, lesionPixels, width: nx, height: ny, rgba, pixelAspect: r.spacing[1] / r.spacing[0] }
}
