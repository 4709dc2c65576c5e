/**
 * Where a DICOM series' images lie in the Volume dcm2niix made of them: image s is slice k, pixel (row, column)
 * is voxel (i, j). Worked out from positions and directions, not assumed: dcm2niix may flip rows and reverse the
 * slice order, and its slices are the images as acquired (also with gantry tilt or uneven spacing, where the
 * order along the slice normal still holds while the NIfTI's uniform spacing does not).
 */
import type { Vec3 } from '../../volume/affine'
import type { Volume } from '../../volume/volume'
import type { DicomSeries, SourceImage } from './dicomSeries'

export interface SeriesOnVolume {
  /** The volume's slice of each image, in the series' order. */
  readonly sliceOf: readonly number[]
  /** The volume's voxel index (native order) of pixel (row, column) of image `image`. */
  voxelOf(image: number, row: number, column: number): number
}

/** Patient LPS -> RAS, for directions. */
const toRas = ([x, y, z]: Vec3): Vec3 => [-x, -y, z]

export function seriesOnVolume(series: DicomSeries, volume: Volume): SeriesOnVolume {
  const first = series.images[0]
  if (!first) throw new Error('the DICOM series holds no images with a position')
  if (series.images.some((im) => im.rows !== first.rows || im.columns !== first.columns)) throw new Error('the images of the DICOM series differ in size')
  const axisDirection = (a: number): Vec3 => {
    const v: Vec3 = [volume.affine[0][a], volume.affine[1][a], volume.affine[2][a]]
    const n = Math.hypot(...v) || 1
    return [v[0] / n, v[1] / n, v[2] / n]
  }
  const along = (direction: Vec3) => {
    const ras = toRas(direction)
    for (let a = 0; a < 3; a++) {
      const cos = dot(axisDirection(a), ras)
      if (Math.abs(cos) > 0.99) return { axis: a, reversed: cos < 0 }
    }
    return null
  }
  const columnAxis = along(first.rowDirection) // columns increase along the row direction
  const rowAxis = along(first.columnDirection)
  if (!columnAxis || !rowAxis || columnAxis.axis === rowAxis.axis) throw new Error('the DICOM images do not lie in the planes of the volume shown')
  const sliceAxis = 3 - columnAxis.axis - rowAxis.axis
  const dims = volume.dims
  if (dims[columnAxis.axis] !== first.columns || dims[rowAxis.axis] !== first.rows || dims[sliceAxis] !== series.images.length) {
    throw new Error(`the DICOM series (${series.images.length} images of ${first.columns}x${first.rows}) is not the volume shown (${dims.join('x')})`)
  }
  const ascending = dot(axisDirection(sliceAxis), toRas(sliceNormal(first))) > 0
  const count = series.images.length
  const sliceOf = series.images.map((_, s) => (ascending ? s : count - 1 - s))
  const strides = [1, dims[0], dims[0] * dims[1]]
  return {
    sliceOf,
    voxelOf: (image, row, column) => {
      const i = columnAxis.reversed ? first.columns - 1 - column : column
      const j = rowAxis.reversed ? first.rows - 1 - row : row
      return i * strides[columnAxis.axis] + j * strides[rowAxis.axis] + sliceOf[image] * strides[sliceAxis]
    },
  }
}

/** The image plane's normal: row direction × column direction. */
export function sliceNormal({ rowDirection: r, columnDirection: c }: Pick<SourceImage, 'rowDirection' | 'columnDirection'>): Vec3 {
  return [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]]
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}
