import { defineConfig } from "vitest/config";

// e2e suites drive the real Pulumi CLI against real sshd test hosts: they are slow and share one
// machine, so each file runs alone and gets generous timeouts. Unit suites stay fast.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
    // The JSON report lets .ci/run prove the e2e suite ran and nothing was skipped.
    reporters: ["default", "json"],
    outputFile: { json: ".tmp/vitest-report.json" },
  },
});
