/**
 * The fleet program (Pulumi.yaml main): reads hosts and the periodic.conf settings from the
 * stack config and declares a PeriodicConf per host.
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { PeriodicConf } from "../resources/periodicConf";
import { projectRoot } from "../resources/provider";
import type { ConnectionArgs } from "../resources/connection";
import { fleetHosts, parseFleetConfig, type HostEntry } from "./config";

const config = new pulumi.Config();
const fleet = parseFleetConfig({
  hosts: config.getObject("hosts"),
  inventory: config.get("inventory"),
  periodic: config.getObject("periodic"),
});
// A key shared by every host, set with `pulumi config set --secret sshPrivateKey < key`.
const sharedKey = config.getSecret("sshPrivateKey");

function connectionOf(h: HostEntry): pulumi.Input<ConnectionArgs> {
  const privateKey = h.privateKeyPath
    ? pulumi.secret(fs.readFileSync(h.privateKeyPath, "utf8"))
    : sharedKey;
  return {
    host: h.host,
    port: h.port,
    user: h.user,
    hostKey: h.hostKey,
    knownHostsFile: h.knownHostsFile,
    insecureIgnoreHostKey: h.insecureIgnoreHostKey,
    become: h.become,
    privateKey,
  };
}

const confs = fleetHosts(fleet, projectRoot()).map(
  (h) =>
    [
      h.name,
      new PeriodicConf(`${h.name}-periodic`, {
        connection: connectionOf(h),
        path: fleet.periodic.path,
        values: { ...fleet.periodic.values, ...h.periodic },
      }),
    ] as const,
);

/** Per host: the managed values as observed, and the file's content. */
export const periodic = Object.fromEntries(confs.map(([name, c]) => [name, { values: c.values, content: c.content }]));
