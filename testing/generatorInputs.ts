/** What the generator's tests draw from: two real heads (Colin27 with its own skull, betsct1) and six validation lesion shapes. */
import { DEFAULT_SHARED_DATA_DIR } from '../src/training/data/sharedPaths'
import { lesionFiles, loadLesionShapes, type LesionShape } from '../src/training/synth/lesionBank'
import { loadTissueLabelMaps, type TissueLabelMap } from '../src/training/synth/tissueLabels'
import { LESION_MASKS_DIR } from './realData'

export function generatorInputs(): { heads: TissueLabelMap[]; shapes: LesionShape[] } {
  return { heads: loadTissueLabelMaps(DEFAULT_SHARED_DATA_DIR, 'colin27,betsct1'), shapes: loadLesionShapes(lesionFiles(LESION_MASKS_DIR, ['validation']).slice(0, 6)) }
}
