import type { Vec3 } from '../../volume/affine'
import type { Lesion } from '../../volume/lesionReport'

interface Props {
  readonly lesions: readonly Lesion[]
  /** The scan's unit for the mean value column ('HU' on CT, '' for MR's arbitrary units). */
  readonly unit: string
  /** Moves the crosshair to a lesion; without it the table is for reading only (a printed report). */
  readonly onGoTo?: (voxel: Vec3) => void
  readonly testId: string
  readonly listed?: string
}

const SIDES = { left: 'left', right: 'right', both: 'both sides' } as const

/** What a reader measures per lesion, one row each: volume, largest diameter, slices, hemisphere, mean value. */
export function LesionTable({ lesions, unit, onGoTo, testId, listed }: Props) {
  return (
    <table className="lesion-table" data-testid={testId} data-listed={listed}>
      <thead>
        <tr>
          <th>#</th>
          <th>mL</th>
          <th title="Largest diameter">Ø mm</th>
          <th title="Slices (k, as the crosshair readout counts them)">slices</th>
          <th title="Side of the head's midline">side</th>
          <th title="Mean image value over the lesion">mean{unit && ` ${unit}`}</th>
        </tr>
      </thead>
      <tbody>
        {lesions.map((lesion, i) => (
          <tr key={i} data-ml={lesion.volumeMl.toFixed(3)}>
            <td>
              {onGoTo ? (
                <button type="button" onClick={() => onGoTo(lesion.focusVoxel)} title="Move the crosshair to this lesion">
                  {i + 1}
                </button>
              ) : (
                i + 1
              )}
            </td>
            <td>{lesion.volumeMl.toFixed(2)}</td>
            <td>{lesion.diameterMm.toFixed(1)}</td>
            <td>{lesion.slices[0] === lesion.slices[1] ? lesion.slices[0] : `${lesion.slices[0]}–${lesion.slices[1]}`}</td>
            <td>{SIDES[lesion.hemisphere]}</td>
            <td>{lesion.meanValue.toFixed(unit === 'HU' ? 0 : 1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
