/**
 * The only door to niivue. Shows a scan Volume and a lesion mask Volume over it, with a narrow API
 * the UI calls: the rest of StrokeSeg never sees an NVImage or `nv.*`.
 */
import { DRAG_MODE, Niivue, NVImage, SLICE_TYPE, type NiiVueLocation } from '@niivue/niivue'
import { writeNifti } from '../io/nifti/writeNifti'
import type { Vec3 } from '../volume/affine'
import type { DisplayWindow } from '../volume/displayWindow'
import type { Volume } from '../volume/volume'

export type ViewLayout = 'axial' | 'coronal' | 'sagittal' | 'multiplanar' | 'render'

export const VIEW_LAYOUTS: readonly ViewLayout[] = ['axial', 'coronal', 'sagittal', 'multiplanar', 'render']

const SLICE_TYPES: Readonly<Record<ViewLayout, SLICE_TYPE>> = {
  axial: SLICE_TYPE.AXIAL,
  coronal: SLICE_TYPE.CORONAL,
  sagittal: SLICE_TYPE.SAGITTAL,
  multiplanar: SLICE_TYPE.MULTIPLANAR,
  render: SLICE_TYPE.RENDER,
}

export interface CrosshairReadout {
  /** World position, RAS+ mm. */
  readonly mm: Vec3
  /** Voxel index in the scan's native grid. */
  readonly voxel: Vec3
  /** Scan value under the crosshair (real units). */
  readonly value: number
  /** Mask value under the crosshair, or null when no mask is shown. */
  readonly maskValue: number | null
}

export interface MaskStyle {
  /** niivue colormap name, e.g. 'red'. */
  readonly color: string
  /** 0..1 */
  readonly opacity: number
  readonly visible: boolean
}

export class ScanViewer {
  private scanImage: NVImage | null = null
  private maskImage: NVImage | null = null
  private maskStyle: MaskStyle = { color: 'red', opacity: 0.5, visible: true }
  private readonly abort = new AbortController()

  private constructor(private readonly nv: Niivue) {}

  /** Attaches niivue to a canvas whose parent has an explicit size (niivue fills the parent). */
  static async attach(canvas: HTMLCanvasElement): Promise<ScanViewer> {
    const nv = new Niivue({
      dragAndDropEnabled: false,
      isResizeCanvas: true,
      sliceType: SLICE_TYPE.MULTIPLANAR,
      multiplanarShowRender: 1, // SHOW_RENDER.ALWAYS: the 3-D render fills the fourth tile
      show3Dcrosshair: true,
      backColor: [0, 0, 0, 1],
      crosshairColor: [0.2, 0.8, 1, 1],
      logLevel: 'warn',
    })
    await nv.attachToCanvas(canvas)
    // Left: crosshair (click and drag to scroll through positions); right: classic window/level drag; middle: pan.
    nv.setMouseEventConfig({
      leftButton: { primary: DRAG_MODE.crosshair },
      rightButton: DRAG_MODE.windowing,
      centerButton: DRAG_MODE.pan,
    })
    return new ScanViewer(nv)
  }

  /** Replaces whatever is shown with `scan` (and removes any mask). */
  async showScan(scan: Volume, window?: DisplayWindow): Promise<void> {
    const image = await toNVImage(scan, 'scan.nii')
    image.colormap = 'gray'
    for (const v of [...this.nv.volumes]) this.nv.removeVolume(v)
    this.maskImage = null
    this.nv.addVolume(image)
    this.scanImage = image
    if (window) this.setWindow(window)
  }

  /** Shows `mask` (a Volume on the scan's grid, non-zero = lesion) over the scan, replacing a previous mask. */
  async showMask(mask: Volume): Promise<void> {
    if (!this.scanImage) throw new Error('load a scan before a mask')
    const image = await toNVImage(mask, 'mask.nii')
    image.colormap = this.maskStyle.color
    image.cal_min = 0
    image.cal_max = 1
    if (this.maskImage) this.nv.removeVolume(this.maskImage)
    this.nv.addVolume(image)
    this.maskImage = image
    this.applyMaskOpacity()
  }

  clearMask(): void {
    if (!this.maskImage) return
    this.nv.removeVolume(this.maskImage)
    this.maskImage = null
  }

  setMaskStyle(style: Partial<MaskStyle>): void {
    this.maskStyle = { ...this.maskStyle, ...style }
    if (this.maskImage && style.color) this.nv.setColormap(this.maskImage.id, style.color)
    this.applyMaskOpacity()
  }

  setLayout(layout: ViewLayout): void {
    this.nv.setSliceType(SLICE_TYPES[layout])
  }

  setWindow(window: DisplayWindow): void {
    if (!this.scanImage) return
    this.scanImage.cal_min = window.center - window.width / 2
    this.scanImage.cal_max = window.center + window.width / 2
    this.nv.updateGLVolume()
  }

  /** The window niivue shows now (it changes when the user drags with the right button). */
  currentWindow(): DisplayWindow | null {
    if (!this.scanImage) return null
    const { cal_min: min, cal_max: max } = this.scanImage
    if (min === undefined || max === undefined) return null
    return { center: (min + max) / 2, width: max - min }
  }

  /**
   * A PNG of what the viewer shows now, with `caption` written along the bottom (e.g. the lesion volume).
   * The scene is drawn and copied in the same task, so WebGL's buffer still holds the frame.
   */
  async snapshotPng(caption: string): Promise<Uint8Array> {
    const source = this.nv.canvas
    if (!source) throw new Error('the viewer has no canvas')
    this.nv.drawScene()
    const picture = document.createElement('canvas')
    picture.width = source.width
    picture.height = source.height
    const context = picture.getContext('2d')
    if (!context) throw new Error('no 2-D canvas to draw the snapshot on')
    context.drawImage(source, 0, 0)
    const fontPx = Math.max(14, Math.round(picture.height / 40))
    context.font = `${fontPx}px sans-serif`
    context.fillStyle = 'rgba(0, 0, 0, 0.6)'
    context.fillRect(0, picture.height - fontPx * 1.8, picture.width, fontPx * 1.8)
    context.fillStyle = '#ffffff'
    context.fillText(caption, fontPx * 0.6, picture.height - fontPx * 0.6)
    const blob = await new Promise<Blob | null>((resolve) => picture.toBlob(resolve, 'image/png'))
    if (!blob) throw new Error('the snapshot could not be encoded')
    return new Uint8Array(await blob.arrayBuffer())
  }

  /** Puts the crosshair on voxel (i, j, k) of the scan (fractional indices allowed) and reports the location. */
  moveCrosshairToVoxel(voxel: readonly [number, number, number]): void {
    if (!this.scanImage) return
    this.nv.scene.crosshairPos = this.nv.vox2frac([voxel[0], voxel[1], voxel[2]])
    this.nv.createOnLocationChange()
    this.nv.drawScene()
  }

  onLocationChange(listener: (readout: CrosshairReadout) => void): void {
    this.nv.addEventListener(
      'locationChange',
      (event: Event) => {
        const location = (event as CustomEvent).detail as NiiVueLocation
        const [scanValue, maskValue] = location.values
        if (!scanValue) return
        listener({
          mm: [location.mm[0], location.mm[1], location.mm[2]],
          voxel: [scanValue.vox[0], scanValue.vox[1], scanValue.vox[2]],
          value: scanValue.value,
          maskValue: maskValue ? maskValue.value : null,
        })
      },
      { signal: this.abort.signal },
    )
  }

  onWindowChange(listener: (window: DisplayWindow) => void): void {
    this.nv.addEventListener(
      'intensityChange',
      () => {
        const window = this.currentWindow()
        if (window) listener(window)
      },
      { signal: this.abort.signal },
    )
  }

  dispose(): void {
    this.abort.abort()
    this.nv.cleanup()
  }

  private applyMaskOpacity(): void {
    if (!this.maskImage) return
    const index = this.nv.volumes.indexOf(this.maskImage)
    this.nv.setOpacity(index, this.maskStyle.visible ? this.maskStyle.opacity : 0)
  }
}

/** niivue parses the NIfTI we write, so it shows exactly our Volume: same voxels, same affine. */
function toNVImage(volume: Volume, name: string): Promise<NVImage> {
  return NVImage.loadFromUrl({ url: writeNifti(volume, { gzip: false }), name })
}
