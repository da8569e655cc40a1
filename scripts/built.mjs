// `npm run import`, `db:check`, `user:admin`… run their CLI from the build (dist/), so production
// needs no TypeScript runner. `node scripts/built.mjs src/x/y.cli.ts ARGS…` runs dist/src/x/y.cli.js
// with ARGS, or says how to build it first.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const source = process.argv[2] ?? '';
const built = path.join(root, 'dist', source.replace(/\.ts$/, '.js'));
if (!source.endsWith('.cli.ts') || !fs.existsSync(built)) {
  console.error(`No build of ${source || 'that command'} yet: run \`npm run build\` first (\`npm start\` builds too).`);
  process.exit(2);
}
process.argv.splice(2, 1); // the CLI sees its own arguments where it expects them
await import(pathToFileURL(built).href);
