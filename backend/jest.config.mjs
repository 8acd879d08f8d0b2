import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { jestConfig } from '../jest.preset.mjs';

const projectRoot = dirname(fileURLToPath(import.meta.url));

/** Unit tests beside the code; integration tests (real database, Redis when REDIS_URL is set) under test/. */
export default {
  // A global option (Jest ignores it inside a project): integration suites migrate a fresh database in their hooks.
  testTimeout: 60000,
  projects: [
    jestConfig({ displayName: 'backend-unit', projectRoot, testMatch: ['<rootDir>/src/**/*.spec.ts'] }),
    jestConfig({ displayName: 'backend-api', projectRoot, testMatch: ['<rootDir>/test/**/*.test.ts'] }),
  ],
};
