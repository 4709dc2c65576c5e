/**
 * What the UI asks of the viewer and hears back (layouts, tools, crosshair styles, readouts, measurements),
 * without niivue: the UI's components and session import these; niivue stays inside src/viewer.
 */
import type { Vec3 } from '../volume/affine'

export type ViewLayout = 'axial' | 'coronal' | 'sagittal' | 'multiplanar' | 'render'

export const VIEW_LAYOUTS: readonly ViewLayout[] = ['axial', 'coronal', 'sagittal', 'multiplanar', 'render']

export interface CrosshairReadout {
  /** World position, RAS+ mm. */
  readonly mm: Vec3
  /** Voxel index in the scan's native grid. */
  readonly voxel: Vec3
  /** Scan value under the crosshair (real units). */
  readonly value: number
}

export interface MaskStyle {
  /** 0..1 */
  readonly opacity: number
  readonly visible: boolean
}

/** What a left-drag on a 2-D view does: move the crosshair, edit the mask, or measure a distance. */
export type EditTool = 'navigate' | 'pen' | 'eraser' | 'fill' | 'measure'

export const EDIT_TOOLS: readonly EditTool[] = ['navigate', 'pen', 'eraser', 'fill', 'measure']

/** How the crosshair is drawn on the 2-D views: a voxel wide, a fraction of one, or not at all. */
export type CrosshairStyle = 'thick' | 'thin' | 'hidden'

/** A distance measured with the 'measure' tool on a 2-D view. */
export interface Measurement {
  readonly distanceMm: number
  /** Its ends in world RAS+ mm. */
  readonly startMm: Vec3
  readonly endMm: Vec3
}
