// Entry of the bundle: runs when executed directly (standalone file), stays quiet when imported.
import { fileURLToPath } from 'node:url';
import { run } from './cli.mjs';

export { run };

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await run(process.argv.slice(2));
