/**
 * The suite's shared AWS provider process (helpers/shared-provider.ts): which binary it starts, how it
 * reports a start that fails, and that only commands leaving the provider unconfigured may use it.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIRROR_ENV, terraform } from "../modules/cli/check/terraform";
import { SHARED_PROVIDER_ENV, mirroredAwsProvider, startSharedProvider } from "./helpers/shared-provider";

const scratch = (label: string): string => mkdtempSync(join(tmpdir(), `connect-kms-${label}-`));
const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

function fakeMirror(versions: Record<string, string[]>): string {
  const mirror = scratch("fake-mirror");
  for (const [version, platforms] of Object.entries(versions))
    for (const os of platforms) {
      const dir = join(mirror, "registry.terraform.io", "hashicorp", "aws", version, os);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `terraform-provider-aws_v${version}_x5`), "");
    }
  return mirror;
}

function script(body: string): string {
  const path = join(scratch("fake-provider"), "provider");
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("the binary", () => {
  test("is the newest version the mirror holds for this platform, as terraform init would choose", () => {
    const mirror = fakeMirror({ "5.100.0": [platform], "6.2.0": [platform], "6.10.0": [platform], "7.0.0": ["plan9_mips"] });
    expect(mirroredAwsProvider(mirror)).toBe(
      join(mirror, "registry.terraform.io/hashicorp/aws/6.10.0", platform, "terraform-provider-aws_v6.10.0_x5"),
    );
  });

  test("is none without a mirror, or with a mirror that has no hashicorp/aws for this platform", () => {
    expect(mirroredAwsProvider(undefined)).toBeUndefined();
    expect(mirroredAwsProvider(fakeMirror({ "5.100.0": ["plan9_mips"] }))).toBeUndefined();
    expect(mirroredAwsProvider(scratch("empty-mirror"))).toBeUndefined();
  });
});

describe("starting it", () => {
  test("gives the reattach configuration the provider prints", async () => {
    const started = await startSharedProvider(
      script(`echo "Provider started."\necho "\tTF_REATTACH_PROVIDERS='{\\"a\\":1}'"\nexec sleep 30`),
    );
    expect(started).toEqual(expect.objectContaining({ reattach: '{"a":1}' }));
    if ("process" in started) started.process.kill();
  });

  test("says why when the provider exits first", async () => {
    await expect(startSharedProvider(script("echo nothing; exit 3"))).resolves.toEqual({
      failed: "it exited (3) before it printed its reattach line",
    });
  });
});

describe("using it", () => {
  test("is refused for a terraform test whose files configure a real provider, before Terraform runs", () => {
    const dir = scratch("configured");
    mkdirSync(join(dir, "tests"));
    writeFileSync(join(dir, "tests", "plan.tftest.hcl"), 'mock_provider "aws" {}\n\nprovider "aws" {\n  alias = "dr"\n}\n');
    expect(() => terraform(dir, ["test"], { mockedProviders: true })).toThrow(
      /mockedProviders, but plan\.tftest\.hcl configure a real provider/,
    );
  });

  test("is refused for a terraform test without test files to mock the provider", () => {
    expect(() => terraform(scratch("no-tests"), ["test"], { mockedProviders: true })).toThrow(/no tests\/\*\.tftest\.hcl mocks one/);
  });

  test("with a mirror, the suite runs one provider process that Terraform attaches to", () => {
    if (!process.env[MIRROR_ENV]) {
      expect(process.env[SHARED_PROVIDER_ENV]).toBeUndefined();
      return;
    }
    const reattach = JSON.parse(process.env[SHARED_PROVIDER_ENV] ?? "{}") as Record<string, { Pid: number }>;
    const pid = reattach["registry.terraform.io/hashicorp/aws"].Pid;
    expect(() => process.kill(pid, 0)).not.toThrow();
    // No init: Terraform installs nothing for a provider it attaches to, so this validates only through the shared one.
    const dir = scratch("attached");
    writeFileSync(join(dir, "main.tf"), 'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n');
    expect(terraform(dir, ["validate"]).output).toContain("The configuration is valid.");
  });
});
