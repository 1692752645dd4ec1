// The console's first load stays small: the JavaScript that index.html loads (its module scripts and modulepreloads)
// and everything those import statically, gzipped, is under 150 KB. Pages loaded later (import()) do not count.
// Reads the committed build (src/Tessera.Server/wwwroot) or TESSERA_CONSOLE_DIR.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { repoRoot } from "./server.mjs";

const dir = process.env.TESSERA_CONSOLE_DIR ?? join(repoRoot, "src/Tessera.Server/wwwroot");
const budget = 150 * 1024;

/** Static imports of an ES module (minified or not): `import x from "./a.js"`, `import "./b.js"`, `export * from "./c.js"`. */
function staticImports(code) {
  const found = [];
  for (const match of code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g)) found.push(match[1]);
  return found;
}

test("size: the console's first load is under 150 KB of JavaScript, gzipped", async (t) => {
  const html = await readFile(join(dir, "index.html"), "utf8");
  const entries = [
    ...[...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]),
  ];
  assert.ok(entries.length > 0, "index.html loads a module script");
  const seen = new Set();
  const queue = entries.map((src) => posix.normalize(src.replace(/^\//, "")));
  const files = [];
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    assert.ok(!/^[a-z]+:/i.test(file), `${file}: the console loads nothing from another origin`);
    const code = await readFile(join(dir, file));
    files.push({ file, bytes: code.length, gzip: gzipSync(code, { level: 9 }).length });
    for (const target of staticImports(code.toString("utf8"))) {
      if (target.startsWith(".")) queue.push(posix.normalize(posix.join(posix.dirname(file), target)));
      else assert.fail(`${file} imports ${target}, which the browser cannot resolve`);
    }
  }
  const total = files.reduce((sum, f) => sum + f.gzip, 0);
  for (const f of files) t.diagnostic(`${f.file}: ${f.bytes} bytes, ${f.gzip} gzipped`);
  t.diagnostic(`console first load: ${files.length} JavaScript file(s), ${(total / 1024).toFixed(1)} KB gzipped (budget 150 KB)`);
  assert.ok(total < budget, `first load is ${total} bytes gzipped, over ${budget}`);
});
