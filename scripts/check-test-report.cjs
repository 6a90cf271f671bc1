// Fails CI unless the vitest JSON report shows the e2e suite ran, nothing was skipped, and all passed.
const fs = require("fs");
const file = process.argv[2];
const report = JSON.parse(fs.readFileSync(file, "utf8"));
let passed = 0, failed = 0, skipped = 0, e2e = 0;
for (const f of report.testResults) {
  for (const t of f.assertionResults) {
    if (t.status === "passed") passed++;
    else if (t.status === "failed") failed++;
    else skipped++;
    if (t.status === "passed" && /[\\/]test[\\/]e2e[\\/]/.test(f.name)) e2e++;
  }
}
console.log(`e2e tests passed: ${e2e}; skipped or todo anywhere: ${skipped}`);
console.log(`${passed} passed, ${failed} failed`);
if (failed > 0 || !report.success) process.exit(1);
if (e2e === 0) { console.error("the e2e suite did not run"); process.exit(1); }
if (skipped > 0) { console.error("skipped tests are defects here"); process.exit(1); }
