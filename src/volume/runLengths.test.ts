import { describe, expect, it } from 'vitest'
import { runLengths } from './volume'

describe('runLengths', () => {
  it.each([
    [[], []],
    [[0, 0, 1, 1, 1, 0], [0, 2, 1, 3, 0, 1]],
    [[2], [2, 1]],
  ])('%j -> %j', (data, runs) => {
    expect(runLengths(Uint8Array.from(data))).toEqual(runs)
  })
})
