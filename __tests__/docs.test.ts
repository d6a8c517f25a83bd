import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const read = (path: string): string => readFileSync(join(__dirname, "..", path), "utf8");

describe("documentation that users copy", () => {
  test("the README's first code block is exactly the two commands, and .ci/run runs the second", () => {
    const readme = read("README.md");
    const quickStart = readme.split("## Two commands")[1].split("```sh\n")[1].split("```")[0];
    expect(readme.indexOf("```sh\n")).toBe(readme.indexOf("## Two commands") + "## Two commands\n\n".length);
    expect(quickStart.trim().split("\n")).toEqual(["npm ci && npm run synth", "npm test"]);
    const ci = read(".ci/run");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  test("help lists the commands the README names", () => {
    const help = read("help");
    for (const command of ["npm ci && npm run synth", "npm test", "npm run bench", "npm run deploy", "cdktf synth"]) {
      expect(help).toContain(command);
    }
  });

  test("the deployer IAM policy example is generated (see deployer-policy.test.ts) and grants what association needs", () => {
    const policy = JSON.parse(read("examples/deployer-iam-policy.json"));
    const actions = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    for (const needed of [
      "kms:CreateGrant",
      "kms:DescribeKey",
      "iam:PutRolePolicy",
      "connect:AssociateInstanceStorageConfig",
      "s3:GetBucketAcl",
      "s3:GetBucketLocation",
      // every bucket has a lifecycle configuration; replication where configured
      "s3:PutLifecycleConfiguration",
      "s3:PutReplicationConfiguration",
      "iam:GetRole",
      // review rows 9 and 13: state access, and the alerts' and profiles' services
      "s3:GetObject",
      "logs:DescribeLogGroups",
      "sns:CreateTopic",
      "events:PutRule",
      "profile:CreateDomain",
    ]) {
      expect(actions).toContain(needed);
    }
    // The Connect service-linked role's policies are changed on that role only.
    const slr = policy.Statement.find((s: { Sid: string }) => s.Sid === "ConnectServiceLinkedRolePolicies");
    expect(slr.Resource).toMatch(
      /^arn:aws:iam::\d{12}:role\/aws-service-role\/connect\.amazonaws\.com\/AWSServiceRoleForAmazonConnect_\*$/,
    );
    for (const statement of policy.Statement) expect(statement.Sid).toMatch(/^[A-Za-z0-9]+$/);
  });
});

test("the verifier's IAM policy grants every action the verifier calls, and nothing that writes", () => {
  const policy = JSON.parse(read("examples/verifier-iam-policy.json"));
  const granted: string[] = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
  const called = [...read("modules/cli/verify/checks.ts").matchAll(/call\("([a-z0-9]+:[A-Za-z]+)"/g)].map((m) => m[1]);
  expect(new Set(called).size).toBeGreaterThanOrEqual(14);
  for (const action of new Set([...called, "sts:GetCallerIdentity"])) expect(granted).toContain(action);
  for (const action of granted) expect(action).toMatch(/^[a-z0-9]+:(Get|List|Describe|Decrypt$)/);
});

test("docs/terraform-module.md names exactly the module's data sources, as module/main.tf declares them", () => {
  const declared = [...read("module/main.tf").matchAll(/^data "([a-z0-9_]+)" "([a-z0-9_]+)"/gm)].map((m) => `data.${m[1]}.${m[2]}`).sort();
  const documented = [...read("docs/terraform-module.md").matchAll(/^\| `(data\.[a-z0-9_]+\.[a-z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
  expect(declared.length).toBeGreaterThan(3);
  expect(documented).toEqual(declared);
});

describe("releases a Terraform caller can pin", () => {
  const version: string = JSON.parse(read("package.json")).version;
  const pages = [
    "README.md",
    ...readdirSync(join(__dirname, "..", "docs"))
      .filter((file) => file.endsWith(".md"))
      .map((file) => `docs/${file}`),
    "module/README.md",
    "module/modules/replica/README.md",
    // The examples' comments show the source a caller writes (examples/mocks holds the tests' mock answers only).
    ...readdirSync(join(__dirname, "..", "examples"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== "mocks")
      .map((entry) => `examples/${entry.name}/main.tf`),
  ];

  test("every ?ref= in the README, docs/*.md and the module READMEs pins the tag of package.json's version, v<version>", () => {
    const refs = pages.flatMap((page) => [...read(page).matchAll(/\?ref=([^\s"'`)\]]+)/g)].map((m) => [page, m[1]]));
    expect(refs).toEqual(refs.map(([page]) => [page, `v${version}`]));
    // Not vacuous: each page a caller copies a source from pins one.
    for (const page of ["README.md", "docs/terraform-module.md", "module/README.md", "module/modules/replica/README.md"])
      expect(refs.map(([where]) => where)).toContain(page);
  });

  test("CHANGELOG.md has an Unreleased section and one for package.json's version, and the docs say how tags are named", () => {
    const changelog = read("CHANGELOG.md");
    const headings = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1]);
    expect(headings.slice(0, 2)).toEqual(["Unreleased", version]);
    for (const heading of headings) expect(changelog).toMatch(new RegExp(`^\\[${heading.replace(/\./g, "\\.")}\\]: `, "m"));
    expect(read("docs/terraform-module.md")).toContain("tagged `v<version>`");
    expect(read("README.md")).toContain("[CHANGELOG.md](CHANGELOG.md)");
  });
});
