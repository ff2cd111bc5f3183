import { defineConfig } from 'vitest/config';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The gate tracks size['frontend/dist']; keep the bundle small and deterministic.
    target: 'es2022',
  },
  server: { port: 5173 },
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'junit'],
    outputFile: { junit: 'reports/junit.xml' },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // main.ts only bootstraps the DOM entry point; app.ts holds the logic it calls.
      exclude: ['src/main.ts', 'src/**/*.d.ts'],
      reporter: ['text', 'json-summary', 'lcov'],
      reportsDirectory: 'coverage',
      thresholds: { lines: 80, statements: 80, functions: 80, branches: 80 },
    },
  },
});
