// Simulated sysrc(8), checked against /work/shared/freebsd/commands.md §4
// (copied facts only; the reference itself is never read from tests).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "./index";

let fleet: TestFleet;
let h: TestHost;
let pristineRcConf: string;

beforeAll(async () => {
  fleet = await startHosts(1, { name: "sysrc" });
  h = fleet.hosts[0]!;
  pristineRcConf = h.readFile("/etc/rc.conf");
});
afterAll(async () => {
  await fleet?.stop();
});
beforeEach(async () => {
  h.writeFile("/etc/rc.conf", pristineRcConf, 0o644);
  await h.run("rm -rf /etc/rc.conf.local /etc/rc.conf.d /tmp/sysrc.* /etc/x.conf /etc/y.conf");
});

async function sh(command: string) {
  return h.run(command);
}

describe("sysrc queries (commands.md §4)", () => {
  it("NAME → `NAME: value`; -n value; -e NAME=\"value\"", async () => {
    // commands.md §4: query formats
    const r = await sh("sysrc sshd_enable; sysrc -n sshd_enable; sysrc -e sshd_enable");
    expect(r.stdout).toBe('sshd_enable: YES\nYES\nsshd_enable="YES"\n');
    expect(r.exitCode).toBe(0);
  });

  it("-v prefixes the file holding the last assignment, possibly the defaults file", async () => {
    // commands.md §4: `-v` → `/etc/rc.conf: NAME: value` (possibly /etc/defaults/rc.conf)
    const r = await sh("sysrc -v sshd_enable cron_enable");
    expect(r.stdout).toBe("/etc/rc.conf: sshd_enable: YES\n/etc/defaults/rc.conf: cron_enable: YES\n");
  });

  it("reports a variable set only in the defaults", async () => {
    // commands.md §4: /etc/defaults/rc.conf is always sourced first
    expect((await sh("sysrc cron_enable pf_enable")).stdout).toBe("cron_enable: YES\npf_enable: NO\n");
  });

  it("unknown variable → message on STDOUT, exit 1; -i/-q hide it but keep exit 1", async () => {
    // commands.md §4: unknown variable → stdout `sysrc: unknown variable 'NAME'`, exit 1
    const r = await sh("sysrc nosuch_var");
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([1, "sysrc: unknown variable 'nosuch_var'\n", ""]);
    // commands.md §4: -i or -q suppresses the message, exit status still 1
    for (const flag of ["-i", "-q"]) {
      const q = await sh(`sysrc ${flag} nosuch_var`);
      expect([q.exitCode, q.stdout, q.stderr]).toEqual([1, "", ""]);
    }
  });

  it("several names: known ones print, the exit status reflects the unknown one", async () => {
    const r = await sh("sysrc sshd_enable nosuch_var zfs_enable");
    expect(r.stdout).toBe("sshd_enable: YES\nsysrc: unknown variable 'nosuch_var'\nzfs_enable: YES\n");
    expect(r.exitCode).toBe(1);
  });

  it("-N prints names only, -F the file", async () => {
    // commands.md §4: -N names only; -F shows the file each var is in
    const r = await sh("sysrc -N sshd_enable; sysrc -F sshd_enable cron_enable");
    expect(r.stdout).toBe("sshd_enable\nsshd_enable: /etc/rc.conf\ncron_enable: /etc/defaults/rc.conf\n");
  });

  it("-D shows the defaults only", async () => {
    // commands.md §4: -D clears the list so only defaults are shown
    expect((await sh("sysrc -D sshd_enable zfs_enable")).stdout).toBe("sshd_enable: NO\nzfs_enable: NO\n");
  });

  it("-f replaces rc_conf_files (repeatable) but the defaults are still sourced", async () => {
    // commands.md §4: -f file (repeatable; replaces rc_conf_files); defaults still sourced
    h.writeFile("/etc/x.conf", 'sshd_enable="NO"\nfoo="x"\n');
    h.writeFile("/etc/y.conf", 'foo="y"\n');
    const r = await sh("sysrc -f /etc/x.conf sshd_enable foo cron_enable; sysrc -f /etc/x.conf -f /etc/y.conf -v foo; sysrc -f /etc/y.conf zfs_enable");
    expect(r.stdout).toBe("sshd_enable: NO\nfoo: x\ncron_enable: YES\n/etc/y.conf: foo: y\nzfs_enable: NO\n");
  });

  it("-d describes a variable from the defaults comments", async () => {
    expect((await sh("sysrc -d sshd_enable")).stdout).toBe("sshd_enable: Enable sshd\n");
  });

  it("-a lists non-default variables, -A everything, alphabetically", async () => {
    // commands.md §4: -a all non-default vars, -A all including defaults
    const a = (await sh("sysrc -a")).stdout.trim().split("\n");
    expect(a).toEqual([...a].sort());
    expect(a).toContain("sshd_enable: YES");
    expect(a).toContain("hostname: sysrc");
    expect(a.some((l) => l.startsWith("cron_enable:"))).toBe(false);
    const all = (await sh("sysrc -A")).stdout.trim().split("\n");
    expect(all).toContain("cron_enable: YES");
    expect(all).toContain("sshd_enable: YES");
    expect(all.length).toBeGreaterThan(200);
  });

  it("-a and -A are incompatible with -c and -x", async () => {
    // commands.md §4
    const c = await sh("sysrc -a -c");
    expect([c.exitCode, c.stderr]).toEqual([1, "sysrc: `-c' option incompatible with `-a'/`-A' options\n"]);
    const x = await sh("sysrc -A -x");
    expect(x.exitCode).toBe(1);
    expect(x.stderr).toMatch(/^sysrc: `-x' option incompatible with `-a'\/`-A' options/);
  });
});

describe("sysrc -c (commands.md §4)", () => {
  it("NAME: 0 if set (even empty), silently; unset → 1 with the unknown message unless -q", async () => {
    h.writeFile("/etc/rc.conf.local", 'empty_var=""\n');
    const r = await sh("sysrc -c sshd_enable; echo $?; sysrc -c empty_var; echo $?; sysrc -c nosuch; echo $?; sysrc -qc nosuch; echo $?");
    expect(r.stdout).toBe("0\n0\nsysrc: unknown variable 'nosuch'\n1\n1\n");
  });

  it("NAME=value: 0 if equal else 1, silent unless -v", async () => {
    const r = await sh(
      "sysrc -c sshd_enable=YES; echo $?; sysrc -c sshd_enable=NO; echo $?; " +
        "sysrc -vc sshd_enable=YES; sysrc -vc sshd_enable=NO; sysrc -vc nosuch=1; echo $?",
    );
    expect(r.stdout).toBe(
      "0\n1\n" +
        "/etc/rc.conf: sshd_enable: already set to `YES'\n" +
        "/etc/rc.conf: sshd_enable: would change from `YES' to `NO'\n" +
        "nosuch: not currently set\n1\n",
    );
    expect(h.readFile("/etc/rc.conf")).toBe(pristineRcConf);
  });
});

describe("sysrc set (commands.md §4)", () => {
  it("prints `NAME: old -> new`; unset before shows two spaces", async () => {
    const r = await sh("sysrc sshd_enable=NO; sysrc nginx_enable=YES");
    expect(r.stdout).toBe("sshd_enable: YES -> NO\nnginx_enable:  -> YES\n");
  });

  it("-n, -e, -v and -N change the set output", async () => {
    const r = await sh("sysrc -n a_var=1; sysrc -e a_var=2; sysrc -v a_var=3; sysrc -N a_var=4; sysrc -n a_var");
    expect(r.stdout).toBe(' -> 1\na_var="1" # -> "2"\n/etc/rc.conf: a_var: 2 -> 3\na_var\n4\n');
  });

  it("appends NAME=\"value\" to the first file when not set (also when only in the defaults)", async () => {
    // commands.md §4: appended to the first of rc_conf_files
    h.writeFile("/etc/rc.conf.local", "# local\n");
    await sh("sysrc nginx_enable=YES pf_enable=YES");
    expect(h.readFile("/etc/rc.conf")).toBe(pristineRcConf + 'nginx_enable="YES"\npf_enable="YES"\n');
    expect(h.readFile("/etc/rc.conf.local")).toBe("# local\n");
  });

  it("adds a newline first when the file does not end with one", async () => {
    // commands.md §4: "A newline is added first if the file does not end with one."
    h.writeFile("/etc/rc.conf", 'hostname="sysrc"');
    await sh("sysrc foo=bar");
    expect(h.readFile("/etc/rc.conf")).toBe('hostname="sysrc"\nfoo="bar"\n');
  });

  it("replaces only the LAST assignment in the last file that has it, keeping quoting and comments", async () => {
    // commands.md §4: only the last assignment is replaced; '…' stays, "…" stays, unquoted → "…"
    h.writeFile(
      "/etc/rc.conf.local",
      [`a="1"`, `b='2' # single`, `c=3 # bare`, `  d="4";e=5`, `a="9" # last a`, ``].join("\n"),
    );
    const r = await sh("sysrc a=X b=Y c=Z d=W");
    expect(r.stdout).toBe("a: 9 -> X\nb: 2 -> Y\nc: 3 -> Z\nd: 4 -> W\n");
    expect(h.readFile("/etc/rc.conf.local")).toBe(
      [`a="1"`, `b='Y' # single`, `c="Z" # bare`, `  d="W";e=5`, `a="X" # last a`, ``].join("\n"),
    );
    expect(h.readFile("/etc/rc.conf")).toBe(pristineRcConf);
  });

  it("edits the last file holding the variable (rc.conf.local over rc.conf)", async () => {
    h.writeFile("/etc/rc.conf.local", 'sshd_enable="NO"\n');
    const r = await sh("sysrc sshd_enable=YES; sysrc -v sshd_enable");
    expect(r.stdout).toBe("sshd_enable: NO -> YES\n/etc/rc.conf.local: sshd_enable: YES\n");
    expect(h.readFile("/etc/rc.conf")).toBe(pristineRcConf);
    expect(h.readFile("/etc/rc.conf.local")).toBe('sshd_enable="YES"\n');
  });

  it("leaves values starting with ` $ or \\ alone and appends a new line to that file", async () => {
    // commands.md §4: such assignments are not edited; a new NAME="value" line is appended
    h.writeFile("/etc/rc.conf.local", 'x=`echo hi`\ny=$x\n');
    const r = await sh("sysrc x=new y=other");
    expect(r.stdout).toBe("x: hi -> new\ny: hi -> other\n");
    expect(h.readFile("/etc/rc.conf.local")).toBe('x=`echo hi`\ny=$x\nx="new"\ny="other"\n');
  });

  it("writes through mktemp + mv: new inode, same mode and owner, nothing left in /tmp", async () => {
    // commands.md §4: mktemp file with the original mode and owner, sh -n, mv (a new inode)
    const r = await sh(
      "chmod 640 /etc/rc.conf && chown 0:5 /etc/rc.conf && i1=$(stat -c %i /etc/rc.conf) && " +
        "sysrc sshd_enable=NO >/dev/null && i2=$(stat -c %i /etc/rc.conf) && " +
        '[ "$i1" != "$i2" ] && stat -c "%a %u %g" /etc/rc.conf && ls -A /tmp | grep -c sysrc; ls -A /etc | grep -c "^\\.sysrc"',
    );
    expect(r.stdout).toBe("640 0 5\n0\n0\n");
  });

  it("refuses to write a value that breaks the syntax (sh -n)", async () => {
    // commands.md §4: `sysrc: Not overwriting '/etc/rc.conf' due to previous syntax errors`
    const r = await sh(`sysrc 'sshd_enable=a"b'`);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/sysrc: Not overwriting '\/etc\/rc\.conf' due to previous syntax errors\n$/);
    expect(h.readFile("/etc/rc.conf")).toBe(pristineRcConf);
  });

  it("stops before anything when an rc file has a syntax error", async () => {
    // commands.md §4: every rc file is checked with sh -n → `sysrc: Exiting due to previous syntax errors`, exit 1
    h.writeFile("/etc/rc.conf.local", 'broken="x\n');
    const r = await sh("sysrc sshd_enable");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/sysrc: Exiting due to previous syntax errors\n$/);
  });

  it("unwritable file → `cannot create …: Permission denied`", async () => {
    // commands.md §4 (a read-only path stands in for an unwritable file)
    const r = await sh("sysrc -f /usr/share/misc/sim-ro.conf foo=bar");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^sysrc: cannot create \/usr\/share\/misc\/sim-ro\.conf: /);
  });

  it("-f writes to the first -f file", async () => {
    h.writeFile("/etc/x.conf", "");
    const r = await sh("sysrc -f /etc/x.conf foo=1 && cat /etc/x.conf");
    expect(r.stdout).toBe('foo:  -> 1\nfoo="1"\n');
    expect(h.readFile("/etc/rc.conf")).toBe(pristineRcConf);
  });
});

describe("sysrc += and -= (commands.md §4)", () => {
  it("appends items once, removes items, collapses empties", async () => {
    const r = await sh(
      'sysrc list="a b" >/dev/null; sysrc list+=c; sysrc list+="b c d"; sysrc list-=b; sysrc list-="a d"; sysrc ifconfig_vtnet0+=up',
    );
    expect(r.stdout).toBe(
      "list: a b -> a b c\nlist: a b c -> a b c d\nlist: a b c d -> a c d\nlist: a c d -> c\nifconfig_vtnet0: DHCP -> DHCP up\n",
    );
  });

  it("a non-alphanumeric first character is the delimiter", async () => {
    const r = await sh("sysrc p=x:y >/dev/null; sysrc p+=:z; sysrc p+=:y; sysrc p-=:x; sysrc q+=,a,b");
    expect(r.stdout).toBe("p: x:y -> x:y:z\np: x:y:z -> x:y:z\np: x:y:z -> y:z\nq:  -> a,b\n");
  });
});

describe("sysrc -x (commands.md §4)", () => {
  it("deletes ALL assignments from all rc files, silently, exit 0", async () => {
    h.writeFile("/etc/rc.conf.local", 'sshd_enable="NO"\nkeep="1"\n  sshd_enable=YES # again\n');
    const r = await sh("sysrc -x sshd_enable; echo $?; sysrc sshd_enable");
    expect(r.stdout).toBe("0\nsshd_enable: NO\n");
    expect(h.readFile("/etc/rc.conf.local")).toBe('keep="1"\n');
    expect(h.readFile("/etc/rc.conf")).not.toMatch(/sshd_enable/);
  });

  it("unknown variable → the query path's message and exit 1", async () => {
    const r = await sh("sysrc -x nosuch");
    expect([r.exitCode, r.stdout]).toEqual([1, "sysrc: unknown variable 'nosuch'\n"]);
  });

  it("a variable only in the defaults: nothing to delete, exit 0", async () => {
    const r = await sh("sysrc -x cron_enable");
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, "", ""]);
  });
});

describe("sysrc usage (commands.md §4)", () => {
  it("no arguments → usage on stderr, exit 1", async () => {
    const r = await sh("sysrc");
    expect([r.exitCode, r.stdout]).toEqual([1, ""]);
    expect(r.stderr).toBe("Usage: sysrc [OPTIONS] name[[+|-]=value] ...\nTry `sysrc --help' for more information.\n");
  });

  it("--version prints the version and exits 1 (sic)", async () => {
    const r = await sh("sysrc --version");
    expect([r.exitCode, r.stdout]).toEqual([1, "6.3 Mar-4,2015\n"]);
  });

  it("a bad flag → getopts message and usage, exit 1", async () => {
    const r = await sh("sysrc -z foo");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^Illegal option -z\nUsage: sysrc/);
  });
});
