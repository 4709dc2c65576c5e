import type { Readout } from '../state/session'

const mm = (v: number) => v.toFixed(1)

/**
 * The crosshair's native voxel, world position and values (a CT value in HU); also as data attributes, for
 * automation.
 */
export function CrosshairReadoutView({ readout, unit }: { readonly readout: Readout | null; readonly unit: string }) {
  if (!readout) return <p className="readout" data-testid="crosshair-readout">Click the image to place the crosshair.</p>
  return (
    <p
      className="readout"
      data-testid="crosshair-readout"
      data-voxel={readout.voxel.join(',')}
      data-mm={readout.mm.join(',')}
      data-value={readout.value}
      data-mask={readout.maskValue ?? ''}
    >
      voxel ({readout.voxel.join(', ')}) · {readout.mm.map(mm).join(', ')} mm · value {+readout.value.toFixed(2)}
      {unit && ` ${unit}`}
      {readout.maskValue !== null && ` · mask ${readout.maskValue}`}
    </p>
  )
}
