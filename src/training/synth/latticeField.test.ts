import { describe, expect, it } from 'vitest'
import { GRID_A_DIMS } from '../data/mniGrid'
import { createRandom } from '../data/random'
import { LatticeField } from './latticeField'

describe('LatticeField', () => {
  it('holds the generator\'s next normals in lattice order, made when read, and leaves the generator where drawing them all would', () => {
    const step = 24
    const nodes = GRID_A_DIMS.map((d) => Math.ceil(d / step) + 2)
    const eager = createRandom(7)
    const values = new Float32Array(nodes[0] * nodes[1] * nodes[2]).map(() => eager.normal())
    const lazy = createRandom(7)
    const field = new LatticeField(step, lazy)
    expect(lazy.next()).toBe(eager.next())
    // At lattice node (i, j, k) the trilinear weights are 0 and 1: the node's value.
    for (const [i, j, k] of [[0, 0, 0], [3, 5, 2], [nodes[0] - 2, nodes[1] - 2, nodes[2] - 2]]) {
      const at = field.at((i - 0.5) * step, (j - 0.5) * step, (k - 0.5) * step)
      expect(at).toBe(values[i + nodes[0] * (j + nodes[1] * k)])
    }
    const mid = field.at(2.25 * step, 4.5 * step, 1.75 * step)
    expect(Number.isFinite(mid)).toBe(true)
  })
})
