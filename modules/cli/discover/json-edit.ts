/**
 * Sets one member of an object inside a JSON text by editing the text where
 * that member is (or would be), so that every other byte of the file (its
 * indentation, key order, spacing, line endings) stays as the user wrote it.
 * Used by `npm run discover -- <env> --write` on cdktf.json.
 */

interface Member {
  readonly key: string;
  /** Offset of the key's opening quote. */
  readonly keyStart: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

interface Scanned {
  readonly start: number;
  readonly end: number;
  /** For an object: its members, and the offset of its closing brace. */
  readonly members?: readonly Member[];
  readonly close?: number;
}

class Scanner {
  constructor(private readonly text: string) {}

  private fail(at: number, what: string): never {
    throw new Error(`not valid JSON at offset ${at}: ${what}`);
  }

  skipSpace(i: number): number {
    while (i < this.text.length && " \t\r\n".includes(this.text[i])) i++;
    return i;
  }

  private string(i: number): number {
    if (this.text[i] !== '"') this.fail(i, "expected a string");
    for (let j = i + 1; j < this.text.length; j++) {
      if (this.text[j] === "\\") j++;
      else if (this.text[j] === '"') return j + 1;
    }
    return this.fail(i, "unterminated string");
  }

  value(i: number): Scanned {
    const start = this.skipSpace(i);
    const c = this.text[start];
    if (c === "{") {
      const members: Member[] = [];
      let j = this.skipSpace(start + 1);
      if (this.text[j] === "}") return { start, end: j + 1, members, close: j };
      for (;;) {
        const keyStart = this.skipSpace(j);
        const keyEnd = this.string(keyStart);
        const key = JSON.parse(this.text.slice(keyStart, keyEnd)) as string;
        const colon = this.skipSpace(keyEnd);
        if (this.text[colon] !== ":") this.fail(colon, "expected :");
        const v = this.value(colon + 1);
        members.push({ key, keyStart, valueStart: v.start, valueEnd: v.end });
        j = this.skipSpace(v.end);
        if (this.text[j] === ",") j++;
        else if (this.text[j] === "}") return { start, end: j + 1, members, close: j };
        else this.fail(j, "expected , or }");
      }
    }
    if (c === "[") {
      let j = this.skipSpace(start + 1);
      if (this.text[j] === "]") return { start, end: j + 1 };
      for (;;) {
        const v = this.value(j);
        j = this.skipSpace(v.end);
        if (this.text[j] === ",") j++;
        else if (this.text[j] === "]") return { start, end: j + 1 };
        else this.fail(j, "expected , or ]");
      }
    }
    if (c === '"') return { start, end: this.string(start) };
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(start));
    if (!literal) this.fail(start, "expected a value");
    return { start, end: start + literal[0].length };
  }
}

/** The whitespace that starts the line `offset` is on. */
function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

function onOneLine(text: string, from: number, to: number): boolean {
  return !text.slice(from, to).includes("\n");
}

/** Renders a flat string map the way the surrounding object is written: on one line, or one member per line. */
function renderMap(value: Readonly<Record<string, string>>, multiLine: boolean, indent: string, unit: string, eol: string): string {
  const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  if (entries.length === 0) return "{}";
  if (!multiLine) return `{ ${entries.join(", ")} }`;
  return `{${eol}${entries.map((e) => `${indent}${unit}${e}`).join(`,${eol}`)}${eol}${indent}}`;
}

/**
 * Returns `text` with `path` (a chain of object keys) set to `value`, a flat
 * map of strings. Every object on the path but the last member must exist.
 * The result is checked: parsed, it equals the original with that one change.
 */
export function setJsonMember(text: string, path: readonly string[], value: Readonly<Record<string, string>>): string {
  const scanner = new Scanner(text);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  let node = scanner.value(0);
  let parentIndent = "";
  for (const key of path.slice(0, -1)) {
    const member = node.members?.find((m) => m.key === key);
    if (!member) throw new Error(`${path.slice(0, path.indexOf(key) + 1).join(".")} is not there`);
    parentIndent = indentAt(text, member.keyStart);
    node = scanner.value(member.valueStart);
    if (!node.members) throw new Error(`${path.slice(0, path.indexOf(key) + 1).join(".")} is not an object`);
  }
  const last = path[path.length - 1];
  const members = node.members!;
  const existing = members.find((m) => m.key === last);
  let edited: string;
  if (existing) {
    const indent = indentAt(text, existing.keyStart);
    const multiLine = !onOneLine(text, node.start, node.end);
    const unit = indent.startsWith(parentIndent) && indent.length > parentIndent.length ? indent.slice(parentIndent.length) : "  ";
    edited = text.slice(0, existing.valueStart) + renderMap(value, multiLine, indent, unit, eol) + text.slice(existing.valueEnd);
  } else if (members.length === 0) {
    const inner = `${JSON.stringify(last)}: ${renderMap(value, false, "", "", eol)}`;
    edited = `${text.slice(0, node.start)}{ ${inner} }${text.slice(node.end)}`;
  } else {
    const after = members[members.length - 1];
    const multiLine = !onOneLine(text, node.start, node.end);
    const indent = multiLine ? indentAt(text, after.keyStart) : "";
    const unit = indent.startsWith(parentIndent) && indent.length > parentIndent.length ? indent.slice(parentIndent.length) : "  ";
    const member = `${JSON.stringify(last)}: ${renderMap(value, multiLine, indent, unit, eol)}`;
    edited = `${text.slice(0, after.valueEnd)},${multiLine ? `${eol}${indent}` : " "}${member}${text.slice(after.valueEnd)}`;
  }
  const expected = JSON.parse(text);
  let target = expected;
  for (const key of path.slice(0, -1)) target = target[key];
  target[last] = value;
  if (JSON.stringify(JSON.parse(edited)) !== JSON.stringify(expected)) {
    throw new Error("the edit would change more than the one member; nothing was written");
  }
  return edited;
}
