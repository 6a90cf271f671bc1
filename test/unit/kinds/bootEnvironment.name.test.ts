// Boot environment names: bectl/libbe's rules (commands.md §3 line 791 for spaces; libbe
// be_validate_name / be_root_concat for the rest) and the template helper.
import { describe, expect, it } from "vitest";
import {
  bootEnvironmentName,
  bootEnvironmentNameProblem,
  BootEnvironmentNameError,
  MAX_BOOT_ENVIRONMENT_NAME,
} from "../../../src/kinds/bootEnvironment/name";
import { bootEnvironmentSourceProblem } from "../../../src/kinds/bootEnvironment/name";

describe("bootEnvironmentNameProblem", () => {
  it.each(["default", "14.1-RELEASE-p5_2024-10-01_120000", "pre-nginx-20241001", "a", "A.b_c-9"])("accepts %j", (n) => {
    expect(bootEnvironmentNameProblem(n)).toBeUndefined();
  });

  it.each([
    ["", /empty/],
    ["foo bar", /spaces/],
    ["a\tb", /spaces/],
    ["zroot/ROOT/x", /'\/'/],
    ["x@snap", /'@'.*source/],
    ["-rf", /start with '-'/],
    [".", /'\.' or '\.\.'/],
    ["..", /'\.' or '\.\.'/],
    ["a;b", /letters, digits and \. _ - \(found ";"\)/],
    ["a:b", /found ":"/],
    ["gtk+", /found "\+"/],
    ["é", /found "é"/],
  ])("refuses %j", (n, why) => {
    expect(bootEnvironmentNameProblem(n)).toMatch(why);
  });

  it("limits the length so zroot/ROOT/NAME stays under 256", () => {
    expect(bootEnvironmentNameProblem("a".repeat(MAX_BOOT_ENVIRONMENT_NAME))).toBeUndefined();
    expect(bootEnvironmentNameProblem("a".repeat(MAX_BOOT_ENVIRONMENT_NAME + 1))).toMatch(/at most 244/);
    expect(("zroot/ROOT/" + "a".repeat(MAX_BOOT_ENVIRONMENT_NAME)).length).toBe(255);
  });
});

describe("bootEnvironmentSourceProblem", () => {
  it("takes a BE name or beName@snapshot", () => {
    expect(bootEnvironmentSourceProblem("default")).toBeUndefined();
    expect(bootEnvironmentSourceProblem("default@2024-10-01-12:00:00-0")).toBeUndefined();
    expect(bootEnvironmentSourceProblem("default@")).toMatch(/snapshot part/);
    expect(bootEnvironmentSourceProblem("a b@s")).toMatch(/boot environment part must not contain spaces/);
    expect(bootEnvironmentSourceProblem("a@b@c")).toMatch(/snapshot part/);
  });
});

describe("bootEnvironmentName", () => {
  it("fills <package> and <yyyymmdd>", () => {
    expect(bootEnvironmentName("pre-<package>-<yyyymmdd>", { package: "nginx", date: "2024-10-01" })).toBe("pre-nginx-20241001");
    expect(bootEnvironmentName("pre-<package>-<yyyymmdd>", { package: "py311-requests", date: new Date(Date.UTC(2025, 0, 9, 23, 59)) }))
      .toBe("pre-py311-requests-20250109");
  });

  it("uses the UTC day of a Date, so the name does not depend on where the program runs", () => {
    expect(bootEnvironmentName("<yyyy>.<mm>.<dd>", { date: new Date("2024-12-31T23:30:00-05:00") })).toBe("2025.01.01");
  });

  it("replaces characters a BE name cannot hold in values, not in the template", () => {
    expect(bootEnvironmentName("pre-<package>-<version>", { package: "gtk+", version: "1.26.2_11,3" })).toBe("pre-gtk_-1.26.2_11_3");
    expect(() => bootEnvironmentName("pre <package>", { package: "x" })).toThrow(/must not contain spaces/);
  });

  it("defaults the date to today", () => {
    const now = new Date();
    const p = (n: number) => String(n).padStart(2, "0");
    const today = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
    // (a test running across UTC midnight could see two days; accept either side)
    expect(bootEnvironmentName("x-<yyyymmdd>")).toMatch(new RegExp(`^x-(${today}|\\d{8})$`));
  });

  it("throws a clear error for unknown placeholders, missing values, bad dates and bad results", () => {
    expect(() => bootEnvironmentName("pre-<pkg>", { package: "x" })).toThrow(BootEnvironmentNameError);
    expect(() => bootEnvironmentName("pre-<pkg>", { package: "x" })).toThrow(/unknown placeholder <pkg>.*known: <package>/);
    expect(() => bootEnvironmentName("pre-<package>")).toThrow(/uses <package> but no package was given/);
    expect(() => bootEnvironmentName("x-<yyyymmdd>", { date: "2024-02-30" })).toThrow(/real day/);
    expect(() => bootEnvironmentName("x-<yyyymmdd>", { date: "20240101" })).toThrow(/YYYY-MM-DD/);
    expect(() => bootEnvironmentName("<package>", { package: "-x" })).toThrow(/start with '-'/);
    expect(() => bootEnvironmentName("a@<package>", { package: "x" })).toThrow(/'@'/);
  });
});
