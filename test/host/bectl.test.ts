// Simulated bectl(8), checked against facts copied from /work/shared/freebsd/commands.md §3
// (lines 714-815 of that file; the reference itself is never read from tests) and §8.
//
// Facts verified beyond §3, with their sources:
// - Without a ZFS root, bectl's main() prints `libbe_init("%s") failed.` with the -r argument
//   or "" and returns -1 (exit 255); `bectl check` is silent ("silent" in its command_map
//   entry). Source: freebsd/freebsd-src sbin/bectl/bectl.c, main() (stored commit b1ea63e).
// - be_destroy() refuses the booted BE (rootfs) and the bootfs (R) with BE_ERR_DESTROYACT.
//   Source: freebsd-src lib/libbe/be.c be_destroy() (stored commit fcb47c4).
// - `bectl create "foo bar"` fails with a message on stderr and a non-zero exit (PR 254441).
//   Source: freebsd-src sbin/bectl/tests/bectl_test.sh bectl_create_body. The exact status is
//   not pinned there; the simulator uses 1 (BE_ERR_INVALIDNAME).
// - list -H: print_padding() prints one TAB after each field but the last; the table pads each
//   field to its column then one space. Source: freebsd-src sbin/bectl/bectl_list.c.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "./index";

let fleet: TestFleet;
let h: TestHost;
const STATE = "/var/run/freebsd-sim/state/bectl/state.json";

beforeAll(async () => {
  fleet = await startHosts(2, [{ name: "bectl" }, { name: "nozfs", profile: { zfsRoot: false } }]);
  h = fleet.hosts[0]!;
});
afterAll(async () => {
  await fleet?.stop();
});
beforeEach(async () => {
  h.setProfile({ zfsRoot: true, bectlWording: "current" });
  await h.run(`rm -f ${STATE}`);
});

const sh = (command: string) => h.run(command);
const DATE = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/;

/** Local "YYYY-MM-DD HH:MM" of a host-clock epoch, as bectl list prints Created. */
function stamp(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

describe("bectl list (commands.md §3, lines 764-785)", () => {
  it("a fresh host has one BE, `default`, active now and on reboot (NR), mounted on /", async () => {
    const r = await sh("bectl list -H");
    expect(r.exitCode).toBe(0);
    const created = JSON.parse(h.readFile(STATE)).bes.default.creation as number;
    // §3 line 782-783: -H = fields separated by one TAB, none after the last
    expect(r.stdout).toBe(`default\tNR\t/\t12.4G\t${stamp(created)}\n`);
  });

  it("the table pads BE to max(2, longest), Active to 6, Mountpoint to max(10, longest), Space to 5", async () => {
    await sh("bectl create -e default 14.1-RELEASE-p5_2024-10-01_120000");
    const r = await sh("bectl list");
    const lines = r.stdout.split("\n");
    // §3 lines 765-767 and the example at 777-781
    expect(lines[0]).toBe("BE                                Active Mountpoint Space Created");
    expect(lines[1]).toMatch(/^14\.1-RELEASE-p5_2024-10-01_120000 -      -          8K    \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(lines[2]).toMatch(/^default                           NR     \/          12\.4G \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(lines[3]).toBe("");
  });

  it("rows are sorted by name; -C name reverses; Active letters are N, R, T in that order", async () => {
    await sh("bectl create zeta; bectl create alpha; bectl activate -t alpha >/dev/null");
    const r = await sh("bectl list -H | cut -f1,2; echo; bectl list -H -C name | cut -f1");
    // §3 lines 768-772
    expect(r.stdout).toBe("alpha\tT\ndefault\tNR\nzeta\t-\n\nzeta\ndefault\nalpha\n");
    await sh("bectl activate zeta >/dev/null; bectl activate -t zeta >/dev/null");
    expect((await sh("bectl list -H | cut -f1,2")).stdout).toBe("alpha\t-\ndefault\tN\nzeta\tRT\n");
    await sh("bectl activate -t default >/dev/null");
    expect((await sh("bectl list -H | cut -f1,2")).stdout).toBe("alpha\t-\ndefault\tNT\nzeta\tR\n");
  });

  it("Space is zfs_nicenum style and Created the BE's creation time in local time", async () => {
    await sh("bectl list >/dev/null"); // initialises the state
    const s = JSON.parse(h.readFile(STATE));
    s.bes.a = { mountpoint: null, used: 1632087572, creation: 1727784000, origin: null, snapshots: {} };
    s.bes.b = { mountpoint: "/mnt/be", used: 9227469, creation: 1727784000, origin: null, snapshots: {} };
    s.bes.c = { mountpoint: null, used: 442368, creation: 1727784000, origin: null, snapshots: {} };
    s.bes.d = { mountpoint: null, used: 0, creation: 1727784000, origin: null, snapshots: {} };
    h.writeFile(STATE, JSON.stringify(s));
    const r = await sh("bectl list -H | cut -f1,3,4,5");
    // §3 line 774: `1.52G`, `8.80M`, `432K`, `0`; line 776: YYYY-MM-DD HH:MM, local time
    expect(r.stdout.split("\n").slice(0, 4)).toEqual([
      `a\t-\t1.52G\t${stamp(1727784000)}`,
      `b\t/mnt/be\t8.80M\t${stamp(1727784000)}`,
      `c\t-\t432K\t${stamp(1727784000)}`,
      `d\t-\t0\t${stamp(1727784000)}`,
    ]);
    // the Mountpoint column widens to the longest mount path
    expect((await sh("bectl list | head -1")).stdout).toBe("BE      Active Mountpoint Space Created\n");
  });

  it("an extra argument → `bectl list: extra argument provided` + usage, exit 64", async () => {
    const r = await sh("bectl list foo");
    // §3 line 785 and line 716 (EX_USAGE)
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toMatch(/^bectl list: extra argument provided\nUsage:\tbectl \{-h \| subcommand \[args\.\.\.\]\}\n/);
  });
});

describe("bectl usage and errors (commands.md §3, lines 716-760)", () => {
  it("-h prints the usage on stdout, exit 0; misuse prints it on stderr, exit 64", async () => {
    const help = await sh("bectl -h");
    expect([help.exitCode, help.stderr]).toEqual([0, ""]);
    expect(help.stdout).toContain("\tbectl [-r beroot] activate [-t] beName\n\tbectl [-r beroot] activate [-T]\n");
    expect(help.stdout).toContain("\tbectl [-r beroot] {umount | unmount} [-f] beName\n");
    const none = await sh("bectl");
    expect([none.exitCode, none.stdout]).toEqual([64, ""]);
    expect(none.stderr).toBe(help.stdout);
  });

  it("an unknown subcommand → `Unknown command: foo` + usage (64)", async () => {
    const r = await sh("bectl foo");
    // §3 line 732
    expect(r.exitCode).toBe(64);
    expect(r.stderr.split("\n")[0]).toBe("Unknown command: foo");
  });

  it("without a ZFS root: `libbe_init(\"\") failed.` on stderr, exit 255; check is silent", async () => {
    const nozfs = fleet.hosts[1]!;
    // §3 lines 762-763
    for (const cmd of ["bectl list -H", "bectl create x", "bectl activate -t x", "bectl destroy x"]) {
      const r = await nozfs.run(cmd);
      expect([r.exitCode, r.stdout, r.stderr]).toEqual([255, "", 'libbe_init("") failed.\n']);
    }
    const check = await nozfs.run("bectl check");
    expect([check.exitCode, check.stdout, check.stderr]).toEqual([255, "", ""]);
    expect((await sh("bectl check")).exitCode).toBe(0);
    // the profile can be switched at run time too
    h.setProfile({ zfsRoot: false });
    expect((await sh("bectl list")).exitCode).toBe(255);
  });
});

describe("bectl create (commands.md §3, lines 786-796)", () => {
  it("is silent on success; the clone's origin is an auto-named snapshot of the booted BE", async () => {
    const r = await sh("bectl create pre-nginx");
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, "", ""]);
    const s = JSON.parse(h.readFile(STATE));
    // §3 line 796: default@2024-10-01-12:00:00-0
    expect(s.bes["pre-nginx"].origin).toMatch(/^default@\d{4}-\d{2}-\d{2}-\d{2}:\d{2}:\d{2}-0$/);
    expect((await sh("bectl list -H | grep pre-nginx")).stdout).toMatch(new RegExp(`^pre-nginx\t-\t-\t8K\t${DATE.source}\n$`));
  });

  it("an existing name: libbe's line, then `Failed to create bootenv NAME`, exit 2", async () => {
    const r = await sh("bectl create default");
    // §3 lines 789-790 (EXISTS = 2, table line 740)
    expect([r.exitCode, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toBe("boot environment name already taken\nFailed to create bootenv default\n");
  });

  it("-e src: the message names the source; a missing source is NOENT (3)", async () => {
    const r = await sh("bectl create -e nosuch x");
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toBe("specified boot environment does not exist\nFailed to create bootenv x from snapshot nosuch\n");
    expect((await sh("bectl create -e default y")).exitCode).toBe(0);
    expect((await sh("bectl list -H | cut -f1")).stdout).toBe("default\ny\n");
  });

  it("NAME@snap creates a snapshot and no BE; -e be@snap clones it", async () => {
    expect((await sh("bectl create default@before-upgrade")).exitCode).toBe(0);
    expect((await sh("bectl list -H | cut -f1")).stdout).toBe("default\n");
    expect((await sh("bectl create -e default@before-upgrade rollback")).exitCode).toBe(0);
    expect(JSON.parse(h.readFile(STATE)).bes.rollback.origin).toBe("default@before-upgrade");
    // §3 lines 793-794
    const r = await sh("bectl create nosuch@snap");
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toBe("specified boot environment does not exist\nFailed to create a snapshot 'snap' of 'nosuch'\n");
  });

  it("a name with a space is refused; a '/' outside the BE root is an invalid name (1)", async () => {
    const sp = await sh("bectl create 'foo bar'");
    // §3 line 791
    expect(sp.stderr).toBe("bectl create: boot environment name must not contain spaces\n");
    expect(sp.exitCode).not.toBe(0);
    const sl = await sh("bectl create a/b");
    expect(sl.exitCode).toBe(1);
    expect(sl.stderr).toBe("invalid boot environment name\nFailed to create bootenv a/b\n");
  });

  it("wrong argument count → `bectl create: wrong number of arguments` + usage (64)", async () => {
    const r = await sh("bectl create; bectl create a b");
    // §3 line 795
    expect(r.exitCode).toBe(64);
    expect(r.stderr.match(/^bectl create: wrong number of arguments$/gm)).toHaveLength(2);
  });

  it("the older lowercase wording when the profile asks for it (§8)", async () => {
    h.setProfile({ bectlWording: "legacy" });
    const r = await sh("bectl create default");
    // §3 line 792
    expect(r.stderr).toBe("boot environment name already taken\nfailed to create bootenv default\n");
  });
});

describe("bectl activate (commands.md §3, lines 797-802)", () => {
  it("permanent: stdout `Successfully activated boot environment NAME`, the BE becomes R", async () => {
    await sh("bectl create next");
    const r = await sh("bectl activate next");
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, "Successfully activated boot environment next\n", ""]);
    expect((await sh("bectl list -H | cut -f1,2")).stdout).toBe("default\tN\nnext\tR\n");
  });

  it("-t: ` for next boot` appended, the BE becomes T; -T removes it", async () => {
    await sh("bectl create once");
    const r = await sh("bectl activate -t once");
    expect([r.exitCode, r.stdout]).toEqual([0, "Successfully activated boot environment once for next boot\n"]);
    expect((await sh("bectl list -H | cut -f1,2")).stdout).toBe("default\tNR\nonce\tT\n");
    const T = await sh("bectl activate -T");
    expect([T.exitCode, T.stdout]).toEqual([0, "Temporary activation removed\n"]);
    expect((await sh("bectl list -H | cut -f1,2")).stdout).toBe("default\tNR\nonce\t-\n");
  });

  it("a missing BE: libbe's line on stderr, `Did not successfully activate …` on stdout, exit 3", async () => {
    const r = await sh("bectl activate nosuch");
    // §3 lines 799-800
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([
      3,
      "Did not successfully activate boot environment nosuch\n",
      "specified boot environment does not exist\n",
    ]);
  });

  it("-t with -T, or a wrong argument count → usage (64)", async () => {
    // §3 line 802
    expect((await sh("bectl activate -t -T x")).exitCode).toBe(64);
    expect((await sh("bectl activate -T -t")).exitCode).toBe(64);
    const n = await sh("bectl activate");
    expect(n.exitCode).toBe(64);
    expect(n.stderr.split("\n")[0]).toBe("bectl activate: wrong number of arguments");
    const bad = await sh("bectl activate -x a");
    expect(bad.exitCode).toBe(64);
    expect(bad.stderr).toMatch(/^bectl: illegal option -- x\nbectl activate: unknown option '-x'\nUsage:/);
  });
});

describe("bectl destroy (commands.md §3, lines 803-807)", () => {
  it("is silent; the auto-named origin snapshot goes with the BE", async () => {
    await sh("bectl create gone");
    const r = await sh("bectl destroy gone");
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, "", ""]);
    const s = JSON.parse(h.readFile(STATE));
    expect(Object.keys(s.bes)).toEqual(["default"]);
    expect(Object.keys(s.bes.default.snapshots)).toEqual([]);
  });

  it("a user-snapshot origin is left (with the notice) unless -o", async () => {
    await sh("bectl create default@keep; bectl create -e default@keep a; bectl create default@drop; bectl create -e default@drop b");
    const a = await sh("bectl destroy a");
    // §3 lines 803-805
    expect([a.exitCode, a.stderr]).toEqual([0, "bectl destroy: leaving origin 'zroot/ROOT/default@keep' intact\n"]);
    const b = await sh("bectl destroy -o b");
    expect([b.exitCode, b.stderr]).toEqual([0, ""]);
    expect(Object.keys(JSON.parse(h.readFile(STATE)).bes.default.snapshots)).toEqual(["keep"]);
  });

  it("missing → 3; active now or on reboot → 5; mounted without -F → 6", async () => {
    const missing = await sh("bectl destroy nosuch");
    expect([missing.exitCode, missing.stderr]).toEqual([3, "specified boot environment does not exist\n"]);
    const booted = await sh("bectl destroy default");
    expect([booted.exitCode, booted.stderr]).toEqual([5, "cannot destroy active boot environment\n"]);
    await sh("bectl create next; bectl activate next >/dev/null");
    expect((await sh("bectl destroy next")).exitCode).toBe(5); // R
    await sh("bectl activate default >/dev/null; bectl create m");
    const s = JSON.parse(h.readFile(STATE));
    s.bes.m.mountpoint = "/tmp/be_mount.c6Sf";
    h.writeFile(STATE, JSON.stringify(s));
    const mounted = await sh("bectl destroy m");
    expect([mounted.exitCode, mounted.stderr]).toEqual([6, "cannot destroy mounted boot env unless forced\n"]);
    expect((await sh("bectl destroy -F m")).exitCode).toBe(0);
  });

  it("a T-only BE can be destroyed (libbe checks rootfs and bootfs only)", async () => {
    await sh("bectl create t; bectl activate -t t >/dev/null");
    expect((await sh("bectl destroy t")).exitCode).toBe(0);
  });
});

describe("bectl rename (commands.md §3, lines 808-811)", () => {
  it("is silent; activation flags follow the BE", async () => {
    await sh("bectl create old; bectl activate -t old >/dev/null");
    const r = await sh("bectl rename old new");
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, "", ""]);
    expect((await sh("bectl list -H | cut -f1,2")).stdout).toBe("default\tNR\nnew\tT\n");
  });

  it("NEW invalid → 1, OLD missing → 3, NEW exists → 2, each with `Failed to rename bootenv OLD to NEW`", async () => {
    await sh("bectl create a; bectl create b");
    const inv = await sh("bectl rename a 'x@y'");
    expect([inv.exitCode, inv.stderr]).toEqual([1, "invalid boot environment name\nFailed to rename bootenv a to x@y\n"]);
    const miss = await sh("bectl rename nosuch c");
    expect([miss.exitCode, miss.stderr]).toEqual([3, "specified boot environment does not exist\nFailed to rename bootenv nosuch to c\n"]);
    const dup = await sh("bectl rename a b");
    expect([dup.exitCode, dup.stderr]).toEqual([2, "boot environment name already taken\nFailed to rename bootenv a to b\n"]);
  });

  it("argument errors: `missing argument` / `too many arguments` + usage", async () => {
    const m = await sh("bectl rename a");
    expect([m.exitCode, m.stderr.split("\n")[0]]).toEqual([64, "bectl rename: missing argument"]);
    const t = await sh("bectl rename a b c");
    expect([t.exitCode, t.stderr.split("\n")[0]]).toEqual([64, "bectl rename: too many arguments"]);
  });
});
