// Simulated FreeBSD tools other than sysrc: freebsd-version, uname, service,
// sha256, doas/sudo, hostname — checked against facts copied from
// /work/shared/freebsd/commands.md §7 (the file itself is never read here).
import * as crypto from "node:crypto";
import * as path from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "./index";

let fleet: TestFleet;
let h: TestHost;

beforeAll(async () => {
  fleet = await startHosts(1, { name: "tools" });
  h = fleet.hosts[0]!;
});
afterAll(async () => {
  await fleet?.stop();
});

const rcScript = (provide: string, opts: { require?: string; before?: string; keyword?: string; rcvar?: string } = {}) =>
  [
    "#!/bin/sh",
    "",
    `# PROVIDE: ${provide}`,
    ...(opts.require ? [`# REQUIRE: ${opts.require}`] : []),
    ...(opts.before ? [`# BEFORE: ${opts.before}`] : []),
    ...(opts.keyword ? [`# KEYWORD: ${opts.keyword}`] : []),
    "",
    ". /etc/rc.subr",
    "",
    `name="${provide}"`,
    ...(opts.rcvar ? [`rcvar="${opts.rcvar}"`] : []),
    "",
    "load_rc_config $name",
    'run_rc_command "$1"',
    "",
  ].join("\n");

describe("freebsd-version (commands.md §7)", () => {
  it("-kru prints kernel, running kernel, userland", async () => {
    // commands.md §7: `freebsd-version -kru` example
    expect((await h.run("freebsd-version -kru")).stdout).toBe("14.1-RELEASE-p5\n14.1-RELEASE-p5\n14.1-RELEASE-p6\n");
  });

  it("always prints in the order k, r, u whatever the flag order; no flag = -u", async () => {
    // commands.md §7: lines always come in the order k, r, u
    const r = await h.run("freebsd-version -urk; echo -; freebsd-version -u -k; echo -; freebsd-version -r; echo -; freebsd-version");
    expect(r.stdout).toBe(
      "14.1-RELEASE-p5\n14.1-RELEASE-p5\n14.1-RELEASE-p6\n-\n14.1-RELEASE-p5\n14.1-RELEASE-p6\n-\n14.1-RELEASE-p5\n-\n14.1-RELEASE-p6\n",
    );
  });

  it("bad option → usage, exit 1; unknown jail → exit 1", async () => {
    // commands.md §7: bad option → usage, exit 1
    const r = await h.run("freebsd-version -x");
    expect([r.exitCode, r.stdout]).toEqual([1, ""]);
    expect(r.stderr).toMatch(/usage: freebsd-version \[-kru\] \[-j jail\]\n$/);
    expect((await h.run("freebsd-version -j nosuchjail")).exitCode).toBe(1);
  });

  it("no kernel → `freebsd-version: unable to locate kernel`, exit 1", async () => {
    // commands.md §7
    const f = await startHosts(1, { name: "nokernel", profile: { kernel: "" } });
    try {
      const r = await f.hosts[0]!.run("freebsd-version -k");
      expect([r.exitCode, r.stderr]).toEqual([1, "freebsd-version: unable to locate kernel\n"]);
    } finally {
      await f.stop();
    }
  });
});

describe("uname (commands.md §7)", () => {
  it("-s FreeBSD, -r running kernel, -K/-U __FreeBSD_version, -m/-p amd64, -n host name", async () => {
    // commands.md §7: uname -K 1401000 for 14.1, -r 14.1-RELEASE-p5, -m/-p amd64
    const r = await h.run("uname; uname -s; uname -r; uname -K; uname -U; uname -m; uname -p; uname -n; uname -o; uname -i");
    expect(r.stdout).toBe("FreeBSD\nFreeBSD\n14.1-RELEASE-p5\n1401000\n1401000\namd64\namd64\ntools\nFreeBSD\nGENERIC\n");
  });

  it("-a and combined flags print in FreeBSD's fixed field order", async () => {
    const r = await h.run("uname -a; uname -rms; uname -KU");
    expect(r.stdout).toBe(
      "FreeBSD tools 14.1-RELEASE-p5 FreeBSD 14.1-RELEASE-p5 GENERIC amd64\nFreeBSD 14.1-RELEASE-p5 amd64\n1401000 1401000\n",
    );
  });

  it("is the simulated one even when called by its Linux path, and reflects the profile", async () => {
    expect((await h.run("/usr/bin/uname -s")).stdout).toBe("FreeBSD\n");
    h.setProfile({ running: "14.2-RELEASE", osreldate: 1402000 });
    try {
      expect((await h.run("uname -rK; freebsd-version -r")).stdout).toBe("14.2-RELEASE 1402000\n14.2-RELEASE\n");
    } finally {
      h.setProfile({ running: "14.1-RELEASE-p5", osreldate: 1401000 });
    }
  });

  it("a bad flag → usage, exit 1", async () => {
    const r = await h.run("uname -z");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("uname: illegal option -- z\nusage: uname [-abiKmnoprsUv]\n");
  });
});

describe("service (commands.md §7)", () => {
  const enabled = async () => (await h.run("service -e")).stdout.trim().split("\n");

  it("-e prints full paths of enabled scripts in rcorder order", async () => {
    // commands.md §7: full path of every enabled rc script, rcorder (boot) order, exit 0
    const r = await h.run("service -e");
    expect(r.exitCode).toBe(0);
    const list = r.stdout.trim().split("\n");
    for (const l of list) expect(l).toMatch(/^\/etc\/rc\.d\/\S+$|^\/usr\/local\/etc\/rc\.d\/\S+$/);
    const names = list.map((l) => path.basename(l));
    // enabled in /etc/rc.conf or by default in /etc/defaults/rc.conf
    for (const n of ["hostid", "zpool", "zvol", "zfs", "syslogd", "ntpd", "sshd", "cron", "netif"]) expect(names).toContain(n);
    // off by default, not enabled in rc.conf; nostart scripts are skipped
    for (const n of ["pf", "moused", "nginx", "jail", "dhclient", "power_profile", "ntpdate"]) expect(names).not.toContain(n);
    // placeholders and scripts without an rcvar line are never "enabled"
    for (const n of ["FILESYSTEMS", "LOGIN", "root", "sysctl"]) expect(names).not.toContain(n);
    const before = (a: string, b: string) => expect(names.indexOf(a)).toBeLessThan(names.indexOf(b));
    before("hostid", "zpool"); // zpool REQUIRE: hostid
    before("zpool", "zvol"); // zvol REQUIRE: zpool
    before("zfsbe", "zfs");
    before("newsyslog", "syslogd");
    before("syslogd", "savecore");
    before("ntpd", "sshd"); // ntpd BEFORE: LOGIN, sshd REQUIRE: LOGIN
    before("cron", "bgfsck");
  });

  it("enabled = checkyesno of the rcvar over defaults, rc.conf, rc.conf.local and rc.conf.d/NAME", async () => {
    const base = await enabled();
    try {
      await h.run(
        [
          "sysrc nginx_enable=YES >/dev/null",
          "mkdir -p /etc/rc.conf.d && echo 'node_exporter_enable=\"yes\"' > /etc/rc.conf.d/node_exporter",
          "echo 'cron_enable=\"NO\"' > /etc/rc.conf.local",
          "echo 'pf_enable=\"maybe\"' >> /etc/rc.conf.local",
        ].join(" && "),
      );
      const now = await enabled();
      expect(now).toContain("/usr/local/etc/rc.d/nginx");
      expect(now).toContain("/usr/local/etc/rc.d/node_exporter");
      expect(now).not.toContain("/etc/rc.d/cron");
      expect(now).not.toContain("/etc/rc.d/pf");
      const names = now.map((l) => path.basename(l));
      expect(names.indexOf("cleanvar")).toBeLessThan(names.indexOf("nginx")); // nginx REQUIRE: LOGIN cleanvar
      expect(names.indexOf("ntpd")).toBeLessThan(names.indexOf("nginx"));
    } finally {
      await h.run("sysrc -x nginx_enable; rm -rf /etc/rc.conf.d /etc/rc.conf.local");
    }
    expect(await enabled()).toEqual(base);
  });

  it("sorts new scripts by PROVIDE/REQUIRE/BEFORE; skips nostart and non-executable local scripts", async () => {
    h.writeFile("/etc/rc.d/zz_late", rcScript("zz_late", { require: "zz_early", rcvar: "zz_late_enable" }), 0o555);
    h.writeFile("/etc/rc.d/zz_early", rcScript("zz_early", { before: "hostid", rcvar: "zz_early_enable" }), 0o555);
    h.writeFile("/etc/rc.d/zz_nostart", rcScript("zz_nostart", { keyword: "nostart", rcvar: "zz_late_enable" }), 0o555);
    h.writeFile("/usr/local/etc/rc.d/zz_noexec", rcScript("zz_noexec", { rcvar: "zz_late_enable" }), 0o644);
    try {
      await h.run("sysrc zz_late_enable=YES zz_early_enable=YES >/dev/null");
      const names = (await enabled()).map((l) => path.basename(l));
      expect(names[0]).toBe("zz_early"); // BEFORE: hostid, and hostid comes first otherwise
      expect(names.indexOf("zz_late")).toBeGreaterThan(0);
      expect(names).not.toContain("zz_nostart");
      expect(names).not.toContain("zz_noexec");
      const order = (await h.run("service -r")).stdout.split("\n");
      expect(order).toContain("/etc/rc.d/zz_late");
      expect(order).not.toContain("/etc/rc.d/zz_nostart");
    } finally {
      await h.run("rm -f /etc/rc.d/zz_* /usr/local/etc/rc.d/zz_*; sysrc -x zz_late_enable zz_early_enable");
    }
  });

  it("-r -v adds the Early/Late divider after FILESYSTEMS; -l lists the scripts", async () => {
    const r = (await h.run("service -rv")).stdout.split("\n");
    expect(r[r.indexOf("/etc/rc.d/FILESYSTEMS") + 1]).toBe("========= Early/Late Divider =========");
    const l = (await h.run("service -l")).stdout.split("\n");
    expect(l).toContain("sshd");
    expect(l).toContain("nginx");
  });

  it("missing script → the not-exist message on stdout, exit 1", async () => {
    // commands.md §7
    const r = await h.run("service nosuch start");
    expect([r.exitCode, r.stdout]).toEqual([
      1,
      "nosuch does not exist in /etc/rc.d or the local startup\ndirectories (/usr/local/etc/rc.d)\n",
    ]);
  });

  it("a disabled service → `Cannot 'start' …` (onestart works); enabled ones start/stop/status", async () => {
    // commands.md §7: Cannot 'start' foo. Set foo_enable to YES in /etc/rc.conf or use 'onestart' instead of 'start'.
    const r = await h.run("service nginx start; echo rc=$?; service nginx onestart; echo rc=$?");
    expect(r.stdout).toBe(
      "Cannot 'start' nginx. Set nginx_enable to YES in /etc/rc.conf or use 'onestart' instead of 'start'.\nrc=0\nStarting nginx.\nrc=0\n",
    );
    const s = await h.run("service sshd status; service sshd stop >/dev/null; service sshd status; echo rc=$?; service sshd start; service sshd restart");
    expect(s.stdout).toMatch(/^sshd is running as pid \d+\.\nsshd is not running\.\nrc=1\nStarting sshd\.\nStopping sshd\.\nWaiting for PIDS: \d+\.\nStarting sshd\.\n$/);
  });
});

describe("sha256 (FreeBSD md5(1) family)", () => {
  it("-q prints the digest, FILE prints `SHA256 (FILE) = hex`, -s STRING, stdin", async () => {
    const content = "hello world\n";
    const hex = crypto.createHash("sha256").update(content).digest("hex");
    const hexAbc = crypto.createHash("sha256").update("abc").digest("hex");
    h.writeFile("/tmp/sha.txt", content);
    const r = await h.run("sha256 -q /tmp/sha.txt; sha256 /tmp/sha.txt; sha256 -r /tmp/sha.txt; sha256 -s abc; printf abc | sha256");
    expect(r.stdout).toBe(`${hex}\nSHA256 (/tmp/sha.txt) = ${hex}\n${hex} /tmp/sha.txt\nSHA256 ("abc") = ${hexAbc}\n${hexAbc}\n`);
  });

  it("missing file → `sha256: FILE: No such file or directory`, exit 1, other files still done", async () => {
    const r = await h.run("sha256 -q /nonexistent /etc/rc.conf");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("sha256: /nonexistent: No such file or directory\n");
    expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
  });
});

describe("doas / sudo / hostname", () => {
  it("doas and sudo run the command with stdin/stdout/exit code passed through", async () => {
    const r = await h.run("doas -n -u root id -un; echo data | sudo -n -u root cat; sudo -n sh -c 'exit 7'; echo rc=$?; doas; echo rc=$?");
    expect(r.stdout).toBe("root\ndata\nrc=7\nrc=1\n");
    expect(r.stderr).toBe("usage: doas [-Lns] [-C config] [-u user] command [args]\n");
  });

  it("hostname prints the profile's host name", async () => {
    expect((await h.run("hostname; hostname -s")).stdout).toBe("tools\ntools\n");
  });
});

describe("tool framework", () => {
  it("logs every tool invocation made over ssh (argv and exit code)", async () => {
    const { ssh } = await import("./ssh");
    h.resetLogs();
    await ssh(fleet, h, "sysrc -n sshd_enable; sysrc nosuch; uname -K; doas -n true; sha256 -q /etc/rc.conf >/dev/null");
    expect(h.tools().map((t) => [t.tool, t.argv, t.exitCode])).toEqual([
      ["sysrc", ["-n", "sshd_enable"], 0],
      ["sysrc", ["nosuch"], 1],
      ["uname", ["-K"], 0],
      ["doas", ["-n", "true"], 0],
      ["sha256", ["-q", "/etc/rc.conf"], 0],
    ]);
    for (const t of h.tools()) expect(Number.isNaN(Date.parse(t.time))).toBe(false);
  });

  it("keeps tool state under /var/run/freebsd-sim/state/<tool>", async () => {
    await h.run("service sshd status >/dev/null");
    expect(h.exists("/var/run/freebsd-sim/state/service/services.json")).toBe(true);
  });
});

describe("rcorder module (tie order like FreeBSD's rcorder)", () => {
  const req = createRequire(__filename);
  const { rcorder } = req("./sim/lib/rcorder.cjs") as {
    rcorder: (files: string[], o?: { skip?: string[] }) => { order: string[]; warnings: string[] };
  };

  it("orders a custom graph and reports cycles and missing providers", async () => {
    const dir = "/tmp/rcorder";
    h.writeFile(`${dir}/a`, rcScript("a", { require: "b c" }));
    h.writeFile(`${dir}/b`, rcScript("b", { require: "c" }));
    h.writeFile(`${dir}/c`, rcScript("c"));
    h.writeFile(`${dir}/d`, rcScript("d", { before: "c", keyword: "nostart" }));
    h.writeFile(`${dir}/e`, rcScript("e", { require: "nothere" }));
    const real = (n: string) => h.realPath(`${dir}/${n}`);
    const r = rcorder(["a", "b", "c", "d", "e"].map(real), { skip: ["nostart"] });
    expect(r.order.map((f) => path.basename(f))).toEqual(["e", "c", "b", "a"]);
    expect(r.warnings).toEqual([`requirement \`nothere' in file \`${real("e")}' has no providers.`]);
    h.writeFile(`${dir}/c`, rcScript("c", { require: "a" }));
    const cyc = rcorder(["a", "b", "c"].map(real));
    expect(cyc.warnings.some((w) => w.startsWith("Circular dependency"))).toBe(true);
    expect(cyc.order.map((f) => path.basename(f)).sort()).toEqual(["a", "b", "c"]);
  });
});
