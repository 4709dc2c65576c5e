/**
 * The only door to niivue. Shows a scan Volume and a lesion mask Volume over it, with a narrow API
 * the UI calls: the rest of StrokeSeg never sees an NVImage or `nv.*`. The mask lives in niivue's drawing
 * layer, so the user corrects it with niivue's pen, eraser and filled pen; after each stroke the viewer hands
 * the whole mask back, in the scan's native voxel order.
 */
import { DRAG_MODE, Niivue, SLICE_TYPE, type NiiVueLocation, type NVImage } from '@niivue/niivue'
import { applyAffine, type Vec3 } from '../volume/affine'
import type { DisplayWindow } from '../volume/displayWindow'
import { nearestVoxel, valueAt, type Volume } from '../volume/volume'
import { CROSSHAIR_WIDTHS, forEachDrawingVoxel, SLICE_TYPES, toNVImage } from './niivueTerms'
import { captionedPng } from './snapshot'
import type { CrosshairReadout, CrosshairStyle, EditTool, MaskStyle, Measurement, ViewLayout } from './viewOptions'

/** Mask value drawn by the pen (niivue's drawing colour table shows 1 in red). */
const LESION_LABEL = 1

/** The reference mask's colour (cyan, beside the red of the mask being edited): 0 transparent, 1 cyan. */
const REFERENCE_COLORMAP = 'strokeseg-reference'

export class ScanViewer {
  private scanImage: NVImage | null = null
  /** The scan shown: the readout's voxel and value come from it, through its own affine. */
  private scan: Volume | null = null
  private hasMask = false
  private maskStyle: MaskStyle = { opacity: 0.5, visible: true }
  /** A second mask shown beside the edited one (an overlay volume over the scan), or null. */
  private referenceImage: NVImage | null = null
  private referenceStyle: MaskStyle = { opacity: 0.5, visible: true }
  /** Counts scans and references shown: a reference still being read when another comes is not added. */
  private shown = 0
  private layout: ViewLayout = 'multiplanar'
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
      loadingText: '', // niivue writes "loading ..." on an empty canvas: the page invites a drop instead
    })
    await nv.attachToCanvas(canvas)
    nv.addColormap(REFERENCE_COLORMAP, { R: [0, 0], G: [0, 230], B: [0, 255], A: [0, 255], I: [0, 255] })
    const viewer = new ScanViewer(nv)
    // Left: crosshair (click and drag to scroll through positions) or the tool; right: window/level; middle: pan.
    viewer.setTool('navigate')
    viewer.setCrosshair('thin')
    return viewer
  }

  /** Replaces whatever is shown with `scan` (and removes any mask). */
  async showScan(scan: Volume, window?: DisplayWindow): Promise<void> {
    const image = await toNVImage(scan, 'scan.nii')
    image.colormap = 'gray'
    this.clearMask()
    this.setTool('navigate')
    for (const v of [...this.nv.volumes]) this.nv.removeVolume(v)
    this.referenceImage = null
    this.shown++
    this.nv.addVolume(image)
    this.scanImage = image
    this.scan = scan
    if (window) this.setWindow(window)
  }

  /** Shows `mask` (a Volume on the scan's grid, non-zero = lesion) over the scan, replacing a previous mask. */
  showMask(mask: Volume): void {
    const image = this.scanImage
    if (!image) throw new Error('load a scan before a mask')
    if (!this.nv.drawBitmap) this.nv.createEmptyDrawing()
    const bitmap = this.nv.drawBitmap
    if (!bitmap || bitmap.length !== mask.data.length) {
      throw new Error(`the mask has ${mask.data.length} voxels, the scan's drawing layer ${bitmap?.length ?? 0}`)
    }
    forEachDrawingVoxel(image, (drawing, native) => (bitmap[drawing] = mask.data[native] > 0 ? LESION_LABEL : 0))
    this.nv.refreshDrawing(true)
    this.hasMask = true
    this.applyMaskOpacity()
  }

  /**
   * Shows `reference` (a second mask on the scan's grid: a colleague's, an expert's, an earlier run) in cyan
   * beside the edited mask, replacing an earlier reference; null removes it.
   */
  async showReferenceMask(reference: Volume | null): Promise<void> {
    if (this.referenceImage) this.nv.removeVolume(this.referenceImage)
    this.referenceImage = null
    const request = ++this.shown
    if (!reference) return
    const image = await toNVImage(reference, 'reference.nii')
    if (request !== this.shown) return
    image.colormap = REFERENCE_COLORMAP
    image.cal_min = 0
    image.cal_max = 1
    this.nv.addVolume(image)
    this.referenceImage = image
    this.applyReferenceOpacity()
  }

  setReferenceStyle(style: Partial<MaskStyle>): void {
    this.referenceStyle = { ...this.referenceStyle, ...style }
    this.applyReferenceOpacity()
  }

  clearMask(): void {
    if (this.nv.drawBitmap) this.nv.closeDrawing()
    this.hasMask = false
  }

  setMaskStyle(style: Partial<MaskStyle>): void {
    this.maskStyle = { ...this.maskStyle, ...style }
    this.applyMaskOpacity()
  }

  /**
   * What a left-drag does on the 2-D views: 'navigate' moves the crosshair; 'pen' paints lesion, 'eraser'
   * removes it, 'fill' paints the outline the user draws and fills it on release. Edit tools need a mask.
   */
  setTool(tool: EditTool, penSizeVoxels?: number): void {
    if (penSizeVoxels !== undefined) this.nv.opts.penSize = penSizeVoxels
    this.nv.setMouseEventConfig({
      leftButton: { primary: tool === 'measure' ? DRAG_MODE.measurement : DRAG_MODE.crosshair },
      rightButton: DRAG_MODE.windowing,
      centerButton: DRAG_MODE.pan,
    })
    if (tool === 'navigate' || tool === 'measure' || !this.hasMask) {
      this.nv.setDrawingEnabled(false)
      return
    }
    this.nv.setDrawingEnabled(true)
    this.nv.setPenValue(tool === 'eraser' ? 0 : LESION_LABEL, tool === 'fill')
  }

  /** Calls `listener` with the whole mask (native order, 1 = lesion) after each pen, eraser or fill stroke; returns its removal. */
  onMaskEdited(listener: (voxels: Uint8Array) => void): () => void {
    const { signal, stop } = this.subscription()
    this.nv.addEventListener(
      'drawingChanged',
      (event: Event) => {
        const { action } = (event as CustomEvent).detail as { action: string }
        const image = this.scanImage
        const bitmap = this.nv.drawBitmap
        if (action !== 'draw' || !image || !bitmap || !this.hasMask) return
        const voxels = new Uint8Array(bitmap.length)
        forEachDrawingVoxel(image, (drawing, native) => (voxels[native] = bitmap[drawing] > 0 ? 1 : 0))
        listener(voxels)
      },
      { signal },
    )
    return stop
  }

  setLayout(layout: ViewLayout): void {
    this.layout = layout
    this.nv.setSliceType(SLICE_TYPES[layout])
  }

  /** Radiological display (the subject's right on the screen's left) or neurological (right on the right). */
  setRadiological(radiological: boolean): void {
    this.nv.setRadiologicalConvention(radiological)
  }

  setCrosshair(style: CrosshairStyle): void {
    this.nv.setCrosshairWidth(CROSSHAIR_WIDTHS[style])
  }

  /** Zooms the 2-D views by `factor` around the crosshair (the middle button pans); null goes back to the whole slice. */
  zoom(factor: number | null): void {
    const [x, y, z, zoom] = this.nv.scene.pan2Dxyzmm
    this.nv.setPan2Dxyzmm(factor === null ? [0, 0, 0, 1] : [x, y, z, Math.min(16, Math.max(0.5, zoom * factor))])
  }

  /** Moves one slice through the 2-D view shown (axial in the multiplanar and 3-D layouts): +1 towards superior, anterior or right. */
  moveSlice(step: number): void {
    const along = this.layout === 'sagittal' ? [step, 0, 0] : this.layout === 'coronal' ? [0, step, 0] : [0, 0, step]
    this.nv.moveCrosshairInVox(along[0], along[1], along[2])
  }

  /** Calls `listener` with each distance measured with the 'measure' tool; returns its removal. */
  onMeasurement(listener: (measurement: Measurement) => void): () => void {
    const { signal, stop } = this.subscription()
    this.nv.addEventListener(
      'measurementCompleted',
      (event: Event) => {
        const { distance, startMM, endMM } = (event as CustomEvent).detail as { distance: number; startMM: ArrayLike<number>; endMM: ArrayLike<number> }
        listener({ distanceMm: distance, startMm: [startMM[0], startMM[1], startMM[2]], endMm: [endMM[0], endMM[1], endMM[2]] })
      },
      { signal },
    )
    return stop
  }

  /** Removes the measurement lines drawn on the views. */
  clearMeasurements(): void {
    this.nv.clearMeasurements()
    this.nv.drawScene()
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

  /** A PNG of what the viewer shows now, with `caption` written along the bottom (e.g. the lesion volume). */
  snapshotPng(caption: string): Promise<Uint8Array> {
    const source = this.nv.canvas
    if (!source) throw new Error('the viewer has no canvas')
    this.nv.drawScene() // drawn and copied in the same task, so WebGL's buffer still holds the frame
    return captionedPng(source, caption)
  }

  /**
   * Puts the crosshair on native voxel (i, j, k) of the scan (fractional indices allowed) and reports the
   * location. niivue's own voxel indices are in its RAS-reordered grid, so the way goes through world mm.
   */
  moveCrosshairToVoxel(voxel: Vec3): void {
    if (!this.scan) return
    this.nv.scene.crosshairPos = this.nv.mm2frac([...applyAffine(this.scan.affine, voxel)], 0, true)
    this.nv.createOnLocationChange()
    this.nv.drawScene()
  }

  /** Calls `listener` with the crosshair's voxel, position and value whenever it moves; returns its removal. */
  onLocationChange(listener: (readout: CrosshairReadout) => void): () => void {
    const { signal, stop } = this.subscription()
    this.nv.addEventListener(
      'locationChange',
      (event: Event) => {
        const scan = this.scan
        if (!scan) return
        // niivue's world position of the crosshair (its voxel indices are RAS-reordered, not the scan's).
        const { mm } = (event as CustomEvent).detail as NiiVueLocation
        const voxel = nearestVoxel(scan, [mm[0], mm[1], mm[2]])
        listener({ mm: [mm[0], mm[1], mm[2]], voxel, value: valueAt(scan, voxel) })
      },
      { signal },
    )
    return stop
  }

  /**
   * Calls `listener` with the shown window whenever it changes: niivue reports its own changes (a selection
   * box, a double click) but not a right-drag, so the viewer also looks while the right button is down.
   * Returns its removal.
   */
  onWindowChange(listener: (window: DisplayWindow) => void): () => void {
    let reported: DisplayWindow | null = null
    const report = () => {
      const window = this.currentWindow()
      if (!window || (reported && reported.center === window.center && reported.width === window.width)) return
      reported = window
      listener(window)
    }
    const { signal, stop } = this.subscription()
    this.nv.addEventListener('intensityChange', report, { signal })
    const canvas = this.nv.canvas
    canvas?.addEventListener('pointermove', (e) => e.buttons & 2 && report(), { signal })
    canvas?.addEventListener('pointerup', report, { signal })
    return stop
  }

  /** A listener's lifetime: until its removal or the viewer's disposal, whichever comes first. */
  private subscription(): { signal: AbortSignal; stop: () => void } {
    const own = new AbortController()
    return { signal: AbortSignal.any([this.abort.signal, own.signal]), stop: () => own.abort() }
  }

  dispose(): void {
    this.abort.abort()
    this.nv.cleanup()
  }

  private applyMaskOpacity(): void {
    this.nv.setDrawOpacity(this.maskStyle.visible ? this.maskStyle.opacity : 0)
  }

  private applyReferenceOpacity(): void {
    const index = this.referenceImage ? this.nv.volumes.indexOf(this.referenceImage) : -1
    if (index > 0) this.nv.setOpacity(index, this.referenceStyle.visible ? this.referenceStyle.opacity : 0)
  }
}
