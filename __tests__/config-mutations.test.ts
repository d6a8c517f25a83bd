/**
 * Property test by mutation: take a random valid declaration, change one
 * field anywhere in it (a type swap, a boundary value, a deletion, an injected
 * template sequence or object-model key, a duplicated list entry, a character
 * AWS refuses, an IAM wildcard, a reserved prefix or a key again in another
 * letter case), and resolve
 * it in-process. Every result is either a clean refusal (a ConfigError whose
 * every problem names a path of the declaration) or, when the mutation stayed
 * valid, a declaration that synthesizes and passes the guardrails.
 * PROPERTY_RUNS raises the number of runs (default 60).
 */
import fc from "fast-check";
import { Testing } from "cdktf";
import { resolveDeclaration } from "../modules/config/config";
import { ConfigError } from "../modules/config/validation";
import { ConnectEncryptionStack } from "../modules/stacks/connect-encryption-stack";
import { assertCompliant, checkStack } from "../modules/guardrails/check";

const RUNS = Math.max(20, Math.round(Number(process.env.PROPERTY_RUNS ?? 420) / 7));
interface Base {
  namePrefix: string;
  region: string;
  rotation: number;
  lock: boolean;
  replicate: boolean;
  adopt: boolean;
}
type Tree = { [key: string]: unknown } | unknown[];

const valid = fc.record({
  namePrefix: fc.constantFrom("acme", "contact-centre", "a1"),
  region: fc.constantFrom("eu-west-2", "us-east-1", "ap-southeast-2"),
  rotation: fc.integer({ min: 90, max: 2560 }),
  lock: fc.boolean(),
  replicate: fc.boolean(),
  adopt: fc.boolean(),
});

function declarationOf(v: Base) {
  const role = "arn:aws:iam::111122223333:role/Deploy";
  return {
    defaults: { region: v.region, namePrefix: v.namePrefix, tags: { Project: "cc" }, key: { rotationPeriodInDays: v.rotation } },
    environments: {
      prod: {
        accountId: "111122223333",
        assumeRoleArn: role,
        instance: v.adopt ? { adopt: { instance: "11111111-2222-3333-4444-555555555555" } } : { create: { alias: "acme-prod" } },
        key: { deployerArns: [role], administratorArns: [role], userArns: [] },
        bucket: {
          lifecycle: { expireAfterDays: 3000, prefixRules: [{ prefix: "Analysis/", expireAfterDays: 2800 }] },
          ...(v.lock ? { objectLock: { mode: "GOVERNANCE", days: 30, lockedTypes: ["CALL_RECORDINGS"] } } : {}),
          ...(v.replicate ? { replication: { region: v.region === "eu-west-1" ? "eu-west-2" : "eu-west-1" } } : {}),
        },
        alerts: { enabled: true, emails: ["ops@example.com"] },
        storage: {
          EMAIL_MESSAGES: { enabled: true },
          CONTACT_TRACE_RECORDS: { enabled: true, destination: "firehose", bufferingSizeMib: 5 },
        },
      },
    },
  };
}

/** Every place in the tree: [parent, key] pairs. */
function places(tree: unknown, out: [Tree, string | number][] = []): [Tree, string | number][] {
  if (Array.isArray(tree)) tree.forEach((item, i) => (out.push([tree, i]), places(item, out)));
  else if (typeof tree === "object" && tree !== null)
    for (const [k, item] of Object.entries(tree)) (out.push([tree as Tree, k]), places(item, out));
  return out;
}

const MUTATIONS: ((value: unknown) => unknown)[] = [
  () => "48",
  () => 48,
  () => true,
  () => null,
  () => [],
  () => ({}),
  () => Infinity,
  () => "${var.injected}",
  () => "%{if true}x%{endif}",
  (value) => (typeof value === "number" ? value + 1 : value),
  (value) => (typeof value === "number" ? -value - 1 : value),
  (value) => (typeof value === "number" ? value * 1000 : value),
  (value) => (typeof value === "string" ? `${value}$\{x}` : value),
  (value) => (typeof value === "string" ? value.toUpperCase() : value),
  (value) => (typeof value === "string" ? value.repeat(40) : value),
  (value) => (Array.isArray(value) ? [...value, ...value] : value),
  (value) =>
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(value).slice(1)}`.replace(", }", "}"))
      : value,
  (value) => (typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value, constructor: "x" } : value),
  // Issue 22's classes: characters AWS refuses, IAM wildcards, a reserved prefix in another case, a key again in another case.
  (value) => (typeof value === "string" ? `${value}\u2028x` : value),
  (value) => (typeof value === "string" ? `${value}\t` : value),
  (value) => (typeof value === "string" ? `\u202e${value}` : value),
  (value) => (typeof value === "string" ? `${value}*` : value),
  (value) => (typeof value === "string" ? `AWS:${value}` : value),
  (value) =>
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? { ...value, ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toUpperCase(), v])) }
      : value,
];

test("random mutations of valid declarations are refused cleanly, or synthesize and pass the guardrails", () => {
  fc.assert(
    fc.property(valid, fc.nat(), fc.nat({ max: MUTATIONS.length }), (base, where, how) => {
      const declaration = declarationOf(base);
      const all = places(declaration);
      const [parent, key] = all[where % all.length];
      if (how === MUTATIONS.length) {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete (parent as Record<string, unknown>)[key as string];
      } else (parent as Record<string | number, unknown>)[key] = MUTATIONS[how]((parent as Record<string | number, unknown>)[key]);
      let resolved;
      try {
        resolved = resolveDeclaration(
          JSON.parse(JSON.stringify(declaration, (_, v) => (v === Infinity ? "__INF__" : v)).replace(/"__INF__"/g, "1e309")),
        );
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        for (const problem of error.problems) expect(problem).toMatch(/^context\.connectEncryption[.:[]/);
        return;
      }
      for (const settings of resolved.environments) assertCompliant([checkStack(new ConnectEncryptionStack(Testing.app(), settings))]);
    }),
    { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 14) },
  );
});
