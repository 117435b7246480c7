// Checks the Worker bundle that `npm run build:worker` wrote to dist/: prints its size and fails when
// it is over 1 MiB gzipped, or when it imports a Node built-in or better-sqlite3 (wrangler only warns
// about those at build time; the Worker would then fail at runtime, since Node.js compatibility is off).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const LIMIT = 1024 * 1024;
const file = new URL('../dist/worker.js', import.meta.url);
const code = readFileSync(file);
const gzipped = gzipSync(code, { level: 9 }).length;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(`Worker bundle: ${kib(code.length)} minified, ${kib(gzipped)} gzipped (limit ${kib(LIMIT)})`);

const problems = [];
if (gzipped > LIMIT) problems.push(`it is over ${kib(LIMIT)} gzipped`);
const text = code.toString('utf8');
const imports = new Set();
// An import quoted inside a message (the openai SDK's "set globalThis.File to `import('node:buffer').File`")
// is text, not code: a backtick or quote right before it rules it out.
for (const match of text.matchAll(
  /(?<![`'"])(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']((?:node:)?[\w./-]+)["']/g,
)) {
  const name = match[1];
  if (name.startsWith('node:') || name === 'better-sqlite3' || name.startsWith('better-sqlite3/'))
    imports.add(name);
}
if (imports.size) problems.push(`it imports ${[...imports].join(', ')}`);
if (problems.length) {
  console.log(`Worker bundle rejected: ${problems.join('; ')}`);
  process.exit(1);
}
