/**
 * The package as a library, used the way a cdktf user's own app uses it: the
 * project packed with `npm pack`, the tarball installed into a scratch app
 * outside the repository (its own package.json, tsconfig.json and main.ts),
 * type-checked against the shipped declarations, run, and its stacks compared
 * with the repository's own synthesis of the same declaration; then one of
 * them validated against the real provider.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { synthesizeDeclaration } from "../modules/stacks/synthesis";
import { exampleCdktfJson, exampleDeclaration } from "./helpers/example";
import { textsUnder } from "./helpers/files";
import { init, terraform } from "./helpers/terraform";

const ROOT = resolve(__dirname, "..");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const node = (args: string[], cwd: string): string => execFileSync(process.execPath, args, { cwd, encoding: "utf8" });

const library = require(join(ROOT, "scripts", "build-library.cjs")) as {
  buildLibrary: () => void;
  apiReport: (version?: string) => string;
  writeApiReport: (path?: string, report?: string) => void;
  API_REPORT: string;
};

/** Packs the project and installs the tarball into node_modules of a new app; its dependencies are the repository's own copies. */
/** Set once `npm pack` has built the library (its prepack script) in this run. */
let built = false;

function appWithPackage(): string {
  // npm pack builds the library first (prepack), as it does for a release.
  const app = mkdtempSync(join(tmpdir(), "connect-kms-consumer-"));
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", app], { cwd: ROOT, encoding: "utf8" }));
  built = true;
  const installed = join(app, "node_modules", PACKAGE.name);
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(app, packed.filename), "-C", installed, "--strip-components=1"]);
  // The peers and dependencies at the versions the lockfile pins (npm would install the same from the registry).
  for (const name of [...Object.keys(PACKAGE.peerDependencies), "valibot", "tldts", "jsonc-parser", "@types/node"]) {
    mkdirSync(join(app, "node_modules", name, ".."), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", name), join(app, "node_modules", name));
  }
  return app;
}

test("a cdktf app of a user's own builds the example's stacks from the packed library, the same as the repository synthesizes them, and they validate", () => {
  const app = appWithPackage();
  const declaration = exampleDeclaration();
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "my-platform", private: true, dependencies: { [PACKAGE.name]: PACKAGE.version } }),
  );
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, module: "commonjs", target: "ES2022", types: ["node"], skipLibCheck: true, noEmit: true },
      files: ["main.ts"],
    }),
  );
  writeFileSync(join(app, "cdktf.json"), JSON.stringify({ language: "typescript", app: "node main.js" }));
  writeFileSync(
    join(app, "main.ts"),
    [
      'import { App, TerraformStack } from "cdktf";',
      `import { addConnectEncryptionStacks, ConnectEncryptionDeclaration } from ${JSON.stringify(PACKAGE.name)};`,
      "",
      `const declaration: ConnectEncryptionDeclaration = ${JSON.stringify(declaration, null, 2)};`,
      "",
      'const app = new App({ outdir: "cdktf.out", skipValidation: true });',
      "// A stack of the platform's own beside ours.",
      'new TerraformStack(app, "platform-network");',
      "const encryption = addConnectEncryptionStacks(app, declaration);",
      "app.synth();",
      "encryption.writeReports();",
      'console.log(encryption.stacks.map((stack) => stack.node.id).join(" "));',
      "",
    ].join("\n"),
  );
  // The types the package ships, as a strict TypeScript project reads them.
  node([join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], app);
  // Then compiled to JavaScript as the user's build would (esbuild here; tsc would do too), and run.
  (require("esbuild") as typeof import("esbuild")).buildSync({
    absWorkingDir: app,
    entryPoints: ["main.ts"],
    outfile: "main.js",
    format: "cjs",
    platform: "node",
    logLevel: "warning",
  });
  const names = node(["main.js"], app).trim().split(" ");

  const repository = synthesizeDeclaration(exampleCdktfJson(declaration), {
    outdir: join(mkdtempSync(join(tmpdir(), "connect-kms-repo-")), "cdktf.out"),
  });
  expect(names).toEqual(repository.stacks.map((stack) => stack.stackName));
  // Every file of every stack (its JSON, versions.tf, deployer policy, ...) and its compliance report, byte for byte.
  for (const name of names) {
    expect(textsUnder(join(app, "cdktf.out", "stacks", name))).toEqual(textsUnder(join(repository.outdir, "stacks", name)));
    for (const report of [`${name}.json`, `${name}.md`])
      expect(readFileSync(join(app, "cdktf.out", "compliance", report), "utf8")).toBe(
        readFileSync(join(repository.outdir, "compliance", report), "utf8"),
      );
  }
  const prod = join(app, "cdktf.out", "stacks", "connect-encryption-prod");
  init(prod);
  expect(terraform(prod, ["validate"]).output).toContain("The configuration is valid.");
});

describe("addConnectEncryptionStacks", () => {
  const { addConnectEncryptionStacks, ConfigError } = require("../modules/library") as typeof import("../modules/library");
  const { App } = require("cdktf") as typeof import("cdktf");
  const scratchApp = () => new App({ outdir: mkdtempSync(join(tmpdir(), "connect-kms-library-")), skipValidation: true });

  test("refuses a mistake at the field of the argument where it is written, and adds nothing to the app", () => {
    const app = scratchApp();
    const wrong = { environments: { dev: { region: "eu-west-2", namePrefix: "acme", key: { rotationPeriodInDays: 30 } } } };
    let refused: unknown;
    try {
      addConnectEncryptionStacks(app, wrong as never);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as InstanceType<typeof ConfigError>).problems).toEqual([
      expect.stringMatching(/^declaration\.environments\.dev\.key\.rotationPeriodInDays: /),
    ]);
    expect(app.node.children).toEqual([]);
    expect(() => addConnectEncryptionStacks(scratchApp(), wrong as never, { name: "platform.encryption" })).toThrow(
      /platform\.encryption\.environments\.dev\.key\.rotationPeriodInDays: /,
    );
  });

  test("narrows to the environments named, as npm run synth -- <env> does", () => {
    const app = scratchApp();
    const added = addConnectEncryptionStacks(app, exampleDeclaration() as never, { environments: ["dev"] });
    expect(added.stacks.map((stack) => stack.node.id)).toEqual(["connect-encryption-dev"]);
    expect(app.node.children.map((child) => child.node.id)).toEqual(["connect-encryption-dev"]);
  });
});

describe("the public API report (docs/library-api.md)", () => {
  test("is the API the library builds now, under package.json's version (npm run render writes it)", () => {
    if (!built) library.buildLibrary();
    expect(readFileSync(library.API_REPORT, "utf8")).toBe(library.apiReport());
    expect(readFileSync(library.API_REPORT, "utf8")).toContain(`Version ${PACKAGE.version}.`);
  });

  test("a changed API is not recorded under the version that recorded the one before; a new version records it", () => {
    const path = join(mkdtempSync(join(tmpdir(), "connect-kms-api-")), "library-api.md");
    const report = library.apiReport("1.2.0");
    library.writeApiReport(path, report);
    const changed = report.replace("readonly warnings: readonly string[];", "readonly warnings: string[];");
    expect(changed).not.toBe(report);
    expect(() => library.writeApiReport(path, changed)).toThrow(
      /public API changed, and package\.json still has version 1\.2\.0.*bump the version/,
    );
    expect(readFileSync(path, "utf8")).toBe(report);
    library.writeApiReport(path, changed.replace("Version 1.2.0.", "Version 1.3.0."));
    expect(readFileSync(path, "utf8")).toContain("Version 1.3.0.");
    // The same API under the same version is written again without complaint.
    expect(() => library.writeApiReport(path, readFileSync(path, "utf8"))).not.toThrow();
  });
});
