/** Seeded randomness for datasets, sampling and augmentation: the same seed gives the same bytes. */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  uniform(low: number, high: number): number
  integer(lowInclusive: number, highExclusive: number): number
  normal(mean?: number, sd?: number): number
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  shuffle<T>(items: readonly T[]): T[]
  /** The generator's state, to save in a checkpoint and resume exactly. */
  state(): number
  /** Moves on as `count` calls of next() would, without making them (their values: uniformAt). */
  skip(count: number): void
}

/** mulberry32's state step: the k-th draw from state s is mix(s + k * STEP), so any draw can be made directly. */
const STEP = 0x6d2b79f5

function mix(state: number): number {
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** What the (k + 1)-th call of next() returns after a generator was at `state` (k = 0: the next draw). */
export function uniformAt(state: number, k: number): number {
  return mix((state + Math.imul(k + 1, STEP)) >>> 0)
}

/** The (i + 1)-th standard normal that normal() draws after `state` (each takes two draws). */
export function normalAt(state: number, i: number): number {
  return boxMuller(uniformAt(state, 2 * i), uniformAt(state, 2 * i + 1))
}

/** A standard normal from two uniforms in [0, 1) (Box-Muller). */
function boxMuller(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2)
}

/** mulberry32: small, fast, good enough for augmentation; the state is one 32-bit integer. */
export function createRandom(seed: number, state = hashSeed(seed)): Random {
  let s = state >>> 0
  const next = () => {
    s = (s + STEP) >>> 0
    return mix(s)
  }
  const random: Random = {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    integer: (low, high) => low + Math.floor((high - low) * next()),
    normal: (mean = 0, sd = 1) => mean + sd * boxMuller(next(), next()),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    shuffle: (items) => {
      const out = items.slice()
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        ;[out[i], out[j]] = [out[j], out[i]]
      }
      return out
    },
    state: () => s,
    skip: (count) => {
      s = (s + Math.imul(count, STEP)) >>> 0
    },
  }
  return random
}

/** Independent streams from one seed: e.g. deriveSeed(seed, 'subject', 3). */
export function deriveSeed(seed: number, ...parts: Array<string | number>): number {
  return hashSeed(`${seed}/${parts.join('/')}`)
}

function hashSeed(seed: number | string): number {
  const text = String(seed)
  let h = 2166136261 >>> 0 // FNV-1a
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0
  return h
}
