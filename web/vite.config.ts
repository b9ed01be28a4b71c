/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The local runner (make run) serves the API, its local-only helpers and
// the signed blob URLs on 127.0.0.1:8080; `npm run dev` proxies them so
// that the portal and the API share an origin, as they do when the runner
// serves web/dist and in AWS behind CloudFront.
const runner = process.env.HRSS_RUNNER_URL ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  server: {
    proxy: {
      '/api': runner,
      '/_local': runner,
      '/_blobs': runner,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The portal targets current Chrome (手册 1.1: 谷歌浏览器 or 极速模式).
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.mjs'],
    environment: 'node',
  },
})
