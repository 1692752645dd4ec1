// A node:test reporter that prints one line per top-level test, for scripts/web-tests:
//   PASS name | FAIL name: why | SKIP name: why
// and a test's own diagnostics (t.diagnostic, such as the console's measured size) as "# text".
const summary = /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) [\d.]+$/;

export default async function* linesReporter(source) {
  for await (const event of source) {
    if (event.type === "test:diagnostic" && !summary.test(event.data.message)) yield `# ${event.data.message}\n`;
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { name, nesting, skip, todo, details } = event.data;
    if (nesting !== 0) continue;
    if (event.type === "test:pass") {
      yield skip || todo ? `SKIP ${name}: ${typeof (skip || todo) === "string" ? skip || todo : "skipped"}\n` : `PASS ${name}\n`;
      continue;
    }
    const error = details?.error?.cause ?? details?.error;
    const why = String(error?.message ?? error ?? "failed").split("\n").find((line) => line.trim()) ?? "failed";
    yield `FAIL ${name}: ${why.trim().slice(0, 400)}\n`;
  }
}
