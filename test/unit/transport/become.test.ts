import { afterAll, beforeAll, expect, it } from "vitest";
import { becomeArgv, closeAllConnections, remoteFor } from "../../../src/transport";
import { startHosts, type TestFleet } from "../../host";

let fleet: TestFleet;
beforeAll(async () => {
  fleet = await startHosts(1, { name: "become" });
});
afterAll(async () => {
  await closeAllConnections();
  await fleet?.stop();
});

// The argv `become` produces runs through the host's doas and sudo (simulated: sessions are
// root already) with every argument intact.
it.each(["doas", "sudo"] as const)("%s wraps the command without changing its arguments", async (tool) => {
  const h = fleet.hosts[0]!;
  const r = remoteFor({ host: h.host, port: h.port, privateKey: fleet.clientKey.privateKey, hostKey: h.hostKey });
  const res = await r.exec(becomeArgv(tool, ["printf", "%s|", "a b", "$(id)", "it's"]));
  expect(res.stdoutText).toBe("a b|$(id)|it's|");
  const logged = h.tools().filter((t) => t.tool === tool);
  expect(logged).toHaveLength(1);
  expect(logged[0]!.argv.slice(0, 3)).toEqual(["-n", "--", "/bin/sh"]);
});
