/**
 * The packed package (`npm pack`) installed into a separate project works the same as this repo's
 * own program, and its serialized provider requires the code by package name.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startHosts, type TestFleet } from "../host";
import { capture, changes, newStack, REPO, up, type TestStack } from "./harness";

let fleet: TestFleet;
let project: string;
let t: TestStack | undefined;

beforeAll(async () => {
  fleet = await startHosts(1, { name: "delta" });
  project = fs.mkdtempSync(path.join(os.tmpdir(), "pf-consumer-"));
  const tgz = execFileSync("npm", ["pack", "--silent", "--pack-destination", project], { cwd: REPO, encoding: "utf8" }).trim().split("\n").pop()!;
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({
    name: "consumer", private: true,
    dependencies: { "pulumi-freebsd": `file:./${tgz}`, "@pulumi/pulumi": pkg.dependencies["@pulumi/pulumi"] },
  }));
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project, stdio: "inherit" });
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: consumer\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n");
  fs.writeFileSync(path.join(project, "index.js"), `
const pulumi = require("@pulumi/pulumi");
const { PeriodicConf } = require("pulumi-freebsd");
const cfg = new pulumi.Config();
const conf = new PeriodicConf("sshd-flags", {
  connection: { host: "127.0.0.1", port: cfg.requireNumber("port"), hostKey: cfg.require("hostKey"), privateKey: cfg.requireSecret("key") },
  path: "/etc/rc.conf.d/sshd",
  values: { sshd_enable: true, sshd_flags: "-o PermitRootLogin=prohibit-password" },
});
exports.content = conf.content;
`);
}, 300_000);

afterAll(async () => {
  await t?.dispose();
  await fleet?.stop();
  fs.rmSync(project, { recursive: true, force: true });
});

it("works from a separate project that installed the packed package", { timeout: 600_000 }, async () => {
  const delta = fleet.hosts[0]!;
  await delta.run("mkdir -p /etc/rc.conf.d");
  t = await newStack({
    workDir: project,
    config: { port: String(delta.port), hostKey: delta.hostKey },
    secrets: { key: fleet.clientKey.privateKey },
  });
  const r = await up(t);
  expect(changes(r.summary.resourceChanges)).toEqual({ create: 2 });
  expect(delta.readFile("/etc/rc.conf.d/sshd")).toBe('sshd_enable="YES"\nsshd_flags="-o PermitRootLogin=prohibit-password"\n');
  expect(changes((await up(t)).summary.resourceChanges)).toEqual({});

  const state = JSON.stringify(await t.stack.exportStack());
  expect(state).toContain("pulumi-freebsd/dist/engine/dispatch");
  expect(state).not.toContain(REPO + "/dist");

  await t.stack.destroy({ ...capture(t) });
  expect(delta.exists("/etc/rc.conf.d/sshd")).toBe(false);
});
