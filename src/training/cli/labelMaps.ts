/**
 * npm run label-maps -- [--out DIR]: derives the tissue label maps of our real heads (tissueLabels.ts) and
 * writes, per head, a PNG of its mid-slices (axial, coronal, sagittal through the grid's centre), each label
 * in its own colour, so that anyone can check the labels by eye; prints the voxels of each label.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { DEFAULT_SHARED_DATA_DIR } from '../data/sharedPaths'
import { GRID_A_DIMS } from '../data/mniGrid'
import { LABEL_NAMES, loadTissueLabelMaps, type TissueLabelMap } from '../synth/tissueLabels'
import { helpText, parseOptions, runCli, type OptionTable } from './args'

const OPTIONS = {
  out: { type: 'string', default: 'docs/label-maps', help: 'folder for <head>.png' },
  'shared-data': { type: 'string', default: DEFAULT_SHARED_DATA_DIR, help: 'folder holding anatomy/ and real/' },
} as const satisfies OptionTable

/** RGB per label: air, CSF, grey, white, extra-cerebral CSF, bone, soft tissue. */
export const LABEL_COLOURS: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0], [40, 90, 230], [150, 150, 150], [245, 245, 245], [90, 200, 240], [240, 220, 120], [200, 90, 70],
]

/** The three mid-slices side by side (superior, anterior and the subject's right up), 2 px per voxel rows kept. */
export function labelMapPng(map: TissueLabelMap): Buffer {
  const [nx, ny, nz] = GRID_A_DIMS
  const [cx, cy, cz] = [Math.floor(nx / 2), Math.floor(ny / 2), Math.floor(nz / 2)]
  const at = (x: number, y: number, z: number) => map.labels[x + nx * (y + ny * z)]
  // Each view: width x height, value(u, v) with v = 0 at the top.
  const views = [
    { width: nx, height: ny, value: (u: number, v: number) => at(u, ny - 1 - v, cz) }, // axial: anterior up
    { width: nx, height: nz, value: (u: number, v: number) => at(u, cy, nz - 1 - v) }, // coronal: superior up
    { width: ny, height: nz, value: (u: number, v: number) => at(cx, u, nz - 1 - v) }, // sagittal: superior up, anterior right
  ]
  const width = views.reduce((w, v) => w + v.width, 0)
  const height = Math.max(...views.map((v) => v.height))
  const png = new PNG({ width, height })
  let left = 0
  for (const view of views) {
    for (let v = 0; v < view.height; v++) {
      for (let u = 0; u < view.width; u++) {
        const [r, g, b] = LABEL_COLOURS[view.value(u, v)]
        const o = (v * width + left + u) * 4
        png.data[o] = r
        png.data[o + 1] = g
        png.data[o + 2] = b
        png.data[o + 3] = 255
      }
    }
    left += view.width
  }
  return PNG.sync.write(png)
}

if (process.argv[1]?.endsWith('labelMaps.ts')) {
  runCli(helpText('label-maps', 'Writes a PNG of the mid-slices of each real head\'s tissue label map.', OPTIONS), async (argv) => {
    const o = parseOptions(argv, OPTIONS)
    mkdirSync(o.out, { recursive: true })
    for (const map of loadTissueLabelMaps(o['shared-data'])) {
      const path = join(o.out, `${map.name}.png`)
      writeFileSync(path, labelMapPng(map))
      console.log(`${path}: ${map.counts.map((n, l) => `${LABEL_NAMES[l]} ${(n / 1000).toFixed(0)} mL`).join(', ')}`)
    }
  })
}
