import { describe, expect, it } from "vitest";
import { kindProvider } from "../../../src/engine/adapter";
import { UNKNOWN } from "../../../src/engine/unknowns";
import { periodicConfKind } from "../../../src/kinds/periodicConf";

const provider = kindProvider(periodicConfKind);
// Port 9 on a .invalid host: any attempt to reach it would fail loudly, so passing checks prove
// that check and diff never touch the host.
const connection = { host: "never.invalid", port: 9, privateKey: "k", hostKey: "SHA256:" + "A".repeat(43) };

describe("adapter check", () => {
  it("names the property and the rule, and runs nothing on the host", async () => {
    const r = await provider.check({}, {
      connection: { ...connection, port: 70000 },
      values: { "x;rm -rf /": "1", ok: "a\nb" },
      path: "/etc/../etc/passwd",
      colour: "blue",
      __provider: "code",
    });
    const props = r.failures.map((f) => f.property).sort();
    expect(props).toEqual(["colour", "connection.port", "path", "values.ok", 'values["x;rm -rf /"]'].sort());
    const text = r.failures.map((f) => f.reason).join("\n");
    expect(text).toMatch(/connection\.port: port must be an integer from 1 to 65535/);
    expect(text).toMatch(/"x;rm -rf \/" is not a valid variable name/);
    expect(text).toMatch(/must not contain newlines/);
    expect(text).toMatch(/colour: unknown property of PeriodicConf/);
  });

  it("accepts valid inputs unchanged (defaults stay implicit, secrets keep their keys)", async () => {
    const news = { connection, values: { security_status_pkgaudit_enable: true }, __provider: "code" };
    const r = await provider.check({}, news);
    expect(r.failures).toEqual([]);
    expect(r.inputs).toBe(news);
  });

  it("leaves unknown preview values to the real run", async () => {
    const r = await provider.check({}, { connection: { ...connection, host: UNKNOWN }, values: UNKNOWN });
    expect(r.failures).toEqual([]);
  });
});

describe("adapter diff", () => {
  const outputs = (content: string) => ({
    connection,
    values: { a: true },
    content,
    fileState: "file",
    priorExists: true,
    priorValues: { a: "NO" },
    __provider: "old code",
  });
  it("is a pure function of the recorded live state and the desired inputs", async () => {
    await expect(provider.diff("id", outputs(`a="YES"\n`), { connection, values: { a: true }, __provider: "new code" })).resolves.toEqual({ changes: false });
    await expect(provider.diff("id", outputs(`a="NO"\n`), { connection, values: { a: true } })).resolves.toEqual({ changes: true });
    await expect(provider.diff("id", outputs(`a=yes\n`), { connection, values: { a: true } })).resolves.toEqual({ changes: false });
  });
  it("replaces on another host or path, updates on a rotated key", async () => {
    const olds = outputs(`a="YES"\n`);
    await expect(provider.diff("id", olds, { connection: { ...connection, host: "other.invalid" }, values: { a: true } }))
      .resolves.toEqual({ changes: true, replaces: ["connection"] });
    await expect(provider.diff("id", olds, { connection, values: { a: true }, path: "/etc/rc.conf.d/x" }))
      .resolves.toEqual({ changes: true, replaces: ["path"] });
    await expect(provider.diff("id", olds, { connection: { ...connection, privateKey: "k2" }, values: { a: true } }))
      .resolves.toEqual({ changes: true });
  });
  it("treats unknown inputs as a change", async () => {
    await expect(provider.diff("id", outputs(""), { connection, values: UNKNOWN })).resolves.toEqual({ changes: true });
  });
});
