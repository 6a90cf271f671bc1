import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getHostFacts } from "../../../src/facts";
import { parseBectlList, parseEnabledServices, parseFreebsdVersion, sections, skewOf } from "../../../src/facts/parse";
import { startHosts, type TestFleet } from "../../host";

describe("host facts parsers", () => {
  it("reads freebsd-version -kru in the order k, r, u (commands.md §7)", () => {
    expect(parseFreebsdVersion("14.1-RELEASE-p5\n14.1-RELEASE-p5\n14.1-RELEASE-p6\n")).toEqual({
      kernel: "14.1-RELEASE-p5",
      running: "14.1-RELEASE-p5",
      userland: "14.1-RELEASE-p6",
    });
    expect(parseFreebsdVersion("freebsd-version: unable to locate kernel\n")).toBeNull();
  });
  it("flags a pending reboot and an incomplete upgrade, not a newer userland patch (§7)", () => {
    expect(skewOf({ kernel: "14.1-RELEASE-p5", running: "14.1-RELEASE-p5", userland: "14.1-RELEASE-p6" })).toEqual([]);
    expect(skewOf({ kernel: "14.1-RELEASE-p6", running: "14.1-RELEASE-p5", userland: "14.1-RELEASE-p6" })[0]).toMatch(/reboot/);
    expect(skewOf({ kernel: "14.2-RELEASE", running: "14.2-RELEASE", userland: "14.1-RELEASE-p6" })[0]).toMatch(/different releases/);
    expect(skewOf({ kernel: "14.1-RELEASE-p7", running: "14.1-RELEASE-p7", userland: "14.1-RELEASE-p6" })[0]).toMatch(/newer than the userland/);
  });
  it("reads service -e paths and bectl list -H rows (§7, §3)", () => {
    expect(parseEnabledServices("/etc/rc.d/hostid\n/etc/rc.d/sshd\n/usr/local/etc/rc.d/nginx\n")).toEqual(["hostid", "sshd", "nginx"]);
    expect(parseBectlList("default\tNR\t/\t12.4G\t2023-11-20 09:14\nold\t-\t-\t8.80M\t2024-10-01 12:00\n")).toEqual([
      { name: "default", active: "NR", mountpoint: "/", space: "12.4G", created: "2023-11-20 09:14" },
      { name: "old", active: "", mountpoint: null, space: "8.80M", created: "2024-10-01 12:00" },
    ]);
  });
  it("splits sections with their exit status", () => {
    const s = sections("@@a 0\nx\ny\n@@b 127\n\n");
    expect(s.get("a")).toEqual({ rc: 0, text: "x\ny" });
    expect(s.get("b")!.rc).toBe(127);
  });
});

describe("getHostFacts on a test host", () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startHosts(1, { name: "facts", profile: { kernel: "14.2-RELEASE", running: "14.1-RELEASE-p5", userland: "14.2-RELEASE", osreldate: 1401000, userreldate: 1402000 } });
  });
  afterAll(async () => fleet?.stop());

  it("reads every fact in one command over one connection, null where the host cannot tell", async () => {
    const h = fleet.hosts[0]!;
    h.resetLogs();
    const f = await getHostFacts({ host: h.host, port: h.port, privateKey: fleet.clientKey.privateKey, hostKey: h.hostKey });
    expect(f.freebsdVersion).toEqual({ kernel: "14.2-RELEASE", running: "14.1-RELEASE-p5", userland: "14.2-RELEASE" });
    expect(f.kernelReldate).toBe(1401000);
    expect(f.userlandReldate).toBe(1402000);
    expect(f.enabledServices).toContain("sshd");
    expect(f.skew).toEqual([expect.stringMatching(/reboot to finish the update/)]);
    expect(h.commands()).toHaveLength(1);
    expect(h.connections()).toBe(1);
  });
});
