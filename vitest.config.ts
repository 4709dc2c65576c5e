import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'testing/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // Vitest's default outside watch mode is one worker fewer than the cores: on our 2-core machines, one.
    maxWorkers: '100%',
  },
})
