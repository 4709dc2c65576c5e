import type { Readout } from '../state/session'

const mm = (v: number) => v.toFixed(1)

export function CrosshairReadoutView({ readout }: { readonly readout: Readout | null }) {
  if (!readout) return <p className="readout" data-testid="readout">Click the image to place the crosshair.</p>
  return (
    <p className="readout" data-testid="readout">
      voxel ({readout.voxel.join(', ')}) · {readout.mm.map(mm).join(', ')} mm · value {+readout.value.toFixed(2)}
      {readout.maskValue !== null && ` · mask ${readout.maskValue}`}
    </p>
  )
}
