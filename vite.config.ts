import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/**
 * Cross-origin isolation (COOP/COEP) lets the tfjs WASM backend use threads; every deployment must send
 * the same headers (README, "Deploying").
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

export default defineConfig({
  plugins: [react()],
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  optimizeDeps: {
    // dcm2niix locates its worker and wasm through import.meta.url: it must not be pre-bundled.
    exclude: ['@niivue/dcm2niix'],
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
})
