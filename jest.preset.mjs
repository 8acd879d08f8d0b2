// Shared Jest settings. NestJS 12 ships ESM only, so every project runs Jest in native ESM mode
// (NODE_OPTIONS=--experimental-vm-modules, set by the test scripts).
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(fileURLToPath(import.meta.url));

export function jestConfig({ displayName, projectRoot, testMatch, ...rest }) {
  return {
    displayName,
    rootDir: projectRoot,
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    testMatch,
    transform: {
      '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: join(projectRoot, 'tsconfig.spec.json') }],
    },
    moduleNameMapper: {
      '^@aitrainer/certificates$': join(root, 'libs/certificates/src/index.ts'),
      '^@aitrainer/contracts$': join(root, 'libs/contracts/src/index.ts'),
      '^@aitrainer/domain$': join(root, 'libs/domain/src/index.ts'),
      '^@aitrainer/scoring$': join(root, 'libs/scoring/src/index.ts'),
    },
    ...rest,
  };
}
