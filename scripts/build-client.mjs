// Bundles the browser player (client/*.ts) into public/js/ with esbuild: one small, minified file.
import { build } from 'esbuild';

const result = await build({
  entryPoints: ['client/player.ts'],
  outdir: 'public/js',
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['es2020'],
  format: 'iife',
  metafile: true,
  logLevel: 'warning',
});
for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith('.js')) console.log(`${file}: ${(bytes / 1024).toFixed(1)} KB`);
}
