import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { jestConfig } from '../../jest.preset.mjs';

export default jestConfig({ displayName: 'certificates', projectRoot: dirname(fileURLToPath(import.meta.url)), testMatch: ['<rootDir>/src/**/*.spec.ts'] });
