import { GRID_A_DIMS } from '../data/mniGrid'
import { normalAt, type Random } from '../data/random'
import type { Vec3 } from '../../volume/affine'

/**
 * A smooth random field: N(0, 1) values on a coarse lattice over grid A, trilinear in between. The lattice
 * values are the generator's next normals in lattice order, made when first read (a training slice reads a
 * few thousand of a fine lattice's ~300,000), so the field costs what is rendered of it and is the same
 * field, value for value, as one made in full.
 */
export class LatticeField {
  /** NaN until made. */
  private readonly values: Float32Array
  private readonly nodes: Vec3
  private readonly state: number
  constructor(private readonly stepVoxels: number, random: Random) {
    this.nodes = GRID_A_DIMS.map((d) => Math.ceil(d / stepVoxels) + 2) as unknown as Vec3
    this.values = new Float32Array(this.nodes[0] * this.nodes[1] * this.nodes[2]).fill(NaN)
    this.state = random.state()
    random.skip(2 * this.values.length) // two draws per normal
  }
  /** At a grid-A position (voxels; clamped to the lattice). */
  at(x: number, y: number, z: number): number {
    const [nx, ny, nz] = this.nodes
    const u = Math.min(Math.max(x / this.stepVoxels + 0.5, 0), nx - 1.001)
    const v = Math.min(Math.max(y / this.stepVoxels + 0.5, 0), ny - 1.001)
    const w = Math.min(Math.max(z / this.stepVoxels + 0.5, 0), nz - 1.001)
    const [i, j, k] = [Math.floor(u), Math.floor(v), Math.floor(w)]
    const [fu, fv, fw] = [u - i, v - j, w - k]
    const base = i + nx * (j + ny * k)
    const [dy, dz] = [nx, nx * ny]
    const c00 = this.value(base) * (1 - fu) + this.value(base + 1) * fu
    const c10 = this.value(base + dy) * (1 - fu) + this.value(base + dy + 1) * fu
    const c01 = this.value(base + dz) * (1 - fu) + this.value(base + dz + 1) * fu
    const c11 = this.value(base + dy + dz) * (1 - fu) + this.value(base + dy + dz + 1) * fu
    return (c00 * (1 - fv) + c10 * fv) * (1 - fw) + (c01 * (1 - fv) + c11 * fv) * fw
  }
  private value(index: number): number {
    if (Number.isNaN(this.values[index])) this.values[index] = normalAt(this.state, index)
    return this.values[index]
  }
}
