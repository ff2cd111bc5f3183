import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // GitHub's workflow parser imports its JSON schema without import attributes,
    // which plain Node refuses; letting Vite transform it makes it loadable in tests.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    reporters: ['default', 'junit'],
    outputFile: { junit: 'test-results/junit.xml' },
  },
});
