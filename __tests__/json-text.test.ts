/**
 * Issue 22, items 1 and 2: cdktf.json is refused when an object key is
 * written twice (JSON.parse would keep the last one without a word) and when
 * its bytes are not UTF-8 (decoding would turn them into U+FFFD without a
 * word). Each refusal names the place; valid files, however unusual their
 * characters, read as JSON.parse reads them.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDeclaration, resolveDeclaration } from "../modules/config/config";
import { parseJsonText } from "../modules/config/config-check";
import { firstInvalidUtf8 } from "../modules/config/json-text";
import { ConfigError } from "../modules/config/validation";

const TWICE = "JSON keeps only the last, so write it once";

/** A valid cdktf.json of one environment, prod, one field a line; `keyLines` go inside prod's key block. */
function declarationText(keyLines: string[], extraEnvironment = ""): string {
  return [
    "{",
    '  "app": "npx ts-node main.ts",',
    '  "context": {',
    '    "connectEncryption": {',
    '      "environments": {',
    '        "prod": {',
    '          "region": "eu-west-2",',
    '          "accountId": "111122223333",',
    '          "instance": { "create": { "alias": "acme-prod" } },',
    '          "tags": { "team": "ops" },',
    '          "key": {',
    ...keyLines.map((line, index) => `            ${line}${index < keyLines.length - 1 ? "," : ""}`),
    "          }",
    `        }${extraEnvironment}`,
    "      }",
    "    }",
    "  }",
    "}",
  ].join("\n");
}

/** The problems readDeclaration reports for a file holding these bytes. */
function fileProblems(content: string | Uint8Array): string[] {
  const path = join(mkdtempSync(join(tmpdir(), "connect-kms-json-text-")), "cdktf.json");
  writeFileSync(path, content);
  try {
    readDeclaration(path);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.replace(`${path}: `, "cdktf.json: "));
    throw error;
  }
  return [];
}

describe("a key written twice in one object is refused, at its path and both lines", () => {
  test("at the top level", () => {
    const text = '{\n  "app": "a",\n  "context": {},\n  "app": "b"\n}';
    expect(parseJsonText(text).problems).toEqual([`app: written twice (lines 2 and 4); ${TWICE}`]);
  });

  test("deep inside an environment: a second allowAccountRoot (the issue's example, through readDeclaration)", () => {
    const text = declarationText([
      '"allowAccountRoot": false',
      '"rotationPeriodInDays": 365',
      '"description": "prod key"',
      '"allowAccountRoot": true',
    ]);
    expect(text.split("\n")[11]).toContain('"allowAccountRoot": false');
    expect(text.split("\n")[14]).toContain('"allowAccountRoot": true');
    expect(fileProblems(text)).toEqual([
      `cdktf.json: context.connectEncryption.environments.prod.key.allowAccountRoot: written twice (lines 12 and 15); ${TWICE}`,
    ]);
  });

  test("a second environment entry of the same name", () => {
    const text = declarationText(['"allowAccountRoot": false'], ',\n        "prod": { "region": "us-east-1" }');
    expect(parseJsonText(text).problems).toEqual([`context.connectEncryption.environments.prod: written twice (lines 6 and 15); ${TWICE}`]);
  });

  test("inside an array of objects, with the item's index", () => {
    const text = '{\n  "list": [\n    {"name": "a"},\n    {"name": "b",\n     "name": "c"}\n  ]\n}';
    expect(parseJsonText(text).problems).toEqual([`list[1].name: written twice (lines 4 and 5); ${TWICE}`]);
  });

  test("keys equal once unescaped, as JSON.parse compares them", () => {
    expect(parseJsonText('{\n"a": 1,\n"\\u0061": 2\n}').problems).toEqual([`a: written twice (lines 2 and 3); ${TWICE}`]);
    // An astral character written literally and as its escaped surrogate pair.
    expect(parseJsonText('{\n"\u{20bb7}": 1,\n"\\ud842\\udfb7": 2\n}').problems).toEqual([
      `\u{20bb7}: written twice (lines 2 and 3); ${TWICE}`,
    ]);
    expect(parseJsonText('{\n"a\\/b": 1,\n"a/b": 2\n}').problems).toEqual([`a/b: written twice (lines 2 and 3); ${TWICE}`]);
  });

  test("on one line, columns tell the writings apart; three writings are counted", () => {
    expect(parseJsonText('{"a": 1, "b": 2, "a": 3, "a": 4}').problems).toEqual([
      `a: written 3 times (line 1, column 2; line 1, column 18 and line 1, column 26); ${TWICE}`,
    ]);
  });

  test("a key written thousands of times is counted, and its first writings placed", () => {
    const text = `{\n${Array.from({ length: 5000 }, (_, index) => `"k": ${index}`).join(",\n")}\n}`;
    expect(parseJsonText(text).problems).toEqual([`k: written 5000 times (lines 2, 3, 4 and 4997 more); ${TWICE}`]);
  });

  test("every repeated key is reported, in the order the file first writes them", () => {
    const text = '{\n"x": {"k": 1,\n"k": 2},\n"y": 1,\n"x": 2,\n"y": 3\n}';
    expect(parseJsonText(text).problems).toEqual([
      `x: written twice (lines 2 and 5); ${TWICE}`,
      `x.k: written twice (lines 2 and 3); ${TWICE}`,
      `y: written twice (lines 4 and 6); ${TWICE}`,
    ]);
  });

  test("a string value equal to a key is not a key", () => {
    const text = '{"a": "a", "b": ["a", {"a": "a"}], "c": {"d": "a"}}';
    expect(parseJsonText(text)).toEqual({ value: JSON.parse(text), problems: [] });
  });

  test("equal keys in different objects are accepted, and the value is JSON.parse's", () => {
    const text = declarationText(
      ['"rotationPeriodInDays": 365'],
      ',\n        "dev": { "region": "eu-west-2", "key": { "rotationPeriodInDays": 365 }, "tags": { "team": "dev" } }',
    );
    expect(parseJsonText(text)).toEqual({ value: JSON.parse(text), problems: [] });
    expect(fileProblems(text)).toEqual([]);
  });

  test("nesting deeper than a recursive parser could follow does not overflow the stack", () => {
    const depth = 20000;
    const text = `${"[".repeat(depth)}{"a": 1, "a": 2}${"]".repeat(depth)}`;
    const problems = parseJsonText(text).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBe(
      `${"[0]".repeat(depth)}.a: written twice (line 1, column ${depth + 2} and line 1, column ${depth + 10}); ${TWICE}`,
    );
  });

  test("comments and trailing commas stay JSON.parse's to refuse, with its message", () => {
    expect(parseJsonText('{\n"a": 1, // a note\n"a": 2\n}').problems).toEqual([
      expect.stringMatching(/^cannot be read as JSON: line 2, column 9: /),
    ]);
    expect(parseJsonText('{"a": 1, "a": 2,}').problem).toMatch(/^cannot be read as JSON: line 1, column 17: /);
  });
});

describe("bytes that are not UTF-8 are refused at the first invalid sequence", () => {
  const bytes = (...parts: (string | number[])[]): Buffer =>
    Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "utf8") : Buffer.from(part))));

  test.each([
    ["a lone 0xC3 (the lead of a two-byte sequence, then a quote)", [0xc3], "byte offset 29 (line 3, column 13)", "0xC3 0x22"],
    ["an overlong encoding of / (0xC0 0xAF)", [0xc0, 0xaf], "byte offset 29 (line 3, column 13)", "0xC0 0xAF"],
    ["a UTF-16 surrogate encoded in UTF-8 (0xED 0xA0 0x80)", [0xed, 0xa0, 0x80], "byte offset 29 (line 3, column 13)", "0xED 0xA0 0x80"],
    ["past U+10FFFF (0xF4 0x90 0x80 0x80)", [0xf4, 0x90, 0x80, 0x80], "byte offset 29 (line 3, column 13)", "0xF4 0x90 0x80 0x80"],
  ])("%s", (_, invalid, where, found) => {
    // "é" and "𠮷" before it: the offset counts bytes (29), the column UTF-16 units as JSON.parse's syntax errors do (𠮷 is two).
    const content = bytes('{\n  "a": "é",\n  "b": "x𠮷x', invalid, '"\n}');
    expect([...content.subarray(29, 29 + invalid.length)]).toEqual(invalid);
    expect(fileProblems(content)).toEqual([`cdktf.json: ${where} is not valid UTF-8 (the bytes there: ${found}); save the file as UTF-8`]);
  });

  test("a sequence cut off by the end of the file", () => {
    expect(parseJsonText(bytes('{"a": "', [0xf0, 0x9f, 0x98])).problem).toBe(
      "byte offset 7 (line 1, column 8) is not valid UTF-8 (the bytes there: 0xF0 0x9F 0x98); save the file as UTF-8",
    );
  });

  test("a stray continuation byte, and a byte that never occurs in UTF-8", () => {
    expect(firstInvalidUtf8(bytes("ab", [0x80]))).toBe(2);
    expect(firstInvalidUtf8(bytes("é", [0xff]))).toBe(2);
  });

  test("the first invalid sequence agrees with the WHATWG decoder on random bytes", () => {
    const decodes = (part: Uint8Array): boolean => {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(part);
        return true;
      } catch {
        return false;
      }
    };
    // A fixed generator, biased to bytes of multi-byte sequences so that both outcomes are frequent.
    let seed = 22;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let invalidSeen = 0;
    for (let run = 0; run < 3000; run++) {
      const length = 1 + Math.floor(random() * 8);
      const sample = Uint8Array.from({ length }, () => (random() < 0.3 ? Math.floor(random() * 0x80) : 0x80 + Math.floor(random() * 0x80)));
      const offset = firstInvalidUtf8(sample);
      if (offset === undefined) {
        expect(decodes(sample)).toBe(true);
        continue;
      }
      invalidSeen++;
      // Everything before is UTF-8, and what starts there cannot be decoded whatever follows it.
      expect([decodes(sample.subarray(0, offset)), decodes(sample.subarray(offset))]).toEqual([true, false]);
    }
    expect(invalidSeen).toBeGreaterThan(1000);
    expect(invalidSeen).toBeLessThan(2990);
  });

  test("the byte-order mark and the size are still refused first", () => {
    expect(parseJsonText(bytes([0xef, 0xbb, 0xbf], '{"a": "', [0xc3], '"}')).problem).toContain("byte-order mark");
    const large = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    large[0] = 0xc3;
    expect(parseJsonText(large).problem).toBe(`the file has ${large.length} bytes; at most ${4 * 1024 * 1024} are read`);
  });
});

describe("valid UTF-8, however unusual, is read as written", () => {
  test("non-breaking and ideographic spaces and a 4-byte character in a tag value", () => {
    const value = "Ops\u00a0Team\u3000\u{20bb7}";
    const text = declarationText(['"rotationPeriodInDays": 365']).replace('"team": "ops"', `"team": "${value}"`);
    expect(Buffer.from(text).includes(Buffer.from([0xf0, 0xa0, 0xae, 0xb7]))).toBe(true);
    const [prod] = resolveDeclaration(readDeclarationOf(text)).environments;
    expect(prod.tags.team).toBe(value);
  });

  test("4-byte characters in keys and values, written literally or escaped", () => {
    const text = '{"\u{1f510}": "\u{1d11e}", "b": "\\ud83d\\udd10", "c": "\u00a0\u3000"}';
    expect(parseJsonText(Buffer.from(text, "utf8"))).toEqual({ value: JSON.parse(text), problems: [] });
  });
});

function readDeclarationOf(text: string): unknown {
  const path = join(mkdtempSync(join(tmpdir(), "connect-kms-json-text-")), "cdktf.json");
  writeFileSync(path, text);
  return readDeclaration(path);
}
