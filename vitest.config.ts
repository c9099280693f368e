import { defineConfig } from 'vitest/config'

// Tests assert behaviour, never speed: a generous timeout keeps a busy 2-core CI machine from failing
// real builds and Chromium runs that merely took longer than vitest's 5 s default.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: ['tests/helpers/tmp-setup.ts'],
  },
})
