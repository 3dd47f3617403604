// Test runner configuration: every test under test/, Node environment unless a file asks for jsdom. The Svelte
// plugin compiles the renderer's components and `.svelte.ts` state classes (runes); the renderer's tests resolve
// packages to their browser builds (Svelte's client runtime: mount, effects), the others to their Node builds. The
// 'timing' project runs alone, after the others.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * Tests that measure what the screen shows over time (the drift measurement: 12 videos playing, idle and with one
 * core busy). They state their own load, so `npm test` runs them in a second pass on their own, after the parallel
 * suite, rather than beside a dozen other test workers (see package.json's "test").
 */
const onScreenTimingTests = ['test/e2e/drift.test.ts'];

export default defineConfig({
  plugins: [svelte({ configFile: false })],
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/renderer/**', ...onScreenTimingTests] } },
      { extends: true, resolve: { conditions: ['browser'] }, test: { name: 'renderer', include: ['test/renderer/**/*.test.ts'] } },
      { extends: true, test: { name: 'timing', include: onScreenTimingTests } },
    ],
  },
});
