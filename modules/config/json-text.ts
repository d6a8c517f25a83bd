/**
 * What JSON.parse passes over without a word but a declaration must not
 * contain: bytes that are not UTF-8 (decoding turns them into U+FFFD, so a
 * value changes unseen) and an object key written twice (JSON.parse keeps the
 * last, so a second "allowAccountRoot" or a second environment entry silently
 * wins). This file only locates them; config-check.ts words the problems.
 */
import { isUtf8 } from "node:buffer";
import type { JSONScanner, SyntaxKind } from "jsonc-parser";

// jsonc-parser's entry point is a UMD module whose own requires esbuild does not
// follow, so dist/main.js would fail to load it; its scanner requires nothing
// and bundles as is. The version is pinned exactly in package.json, so this
// path does not move under us.
const { createScanner } = require("jsonc-parser/lib/umd/impl/scanner.js") as {
  createScanner: (text: string, ignoreTrivia: boolean) => JSONScanner;
};

// The scanner's token codes. SyntaxKind is a const enum that the transpiler
// (esbuild, file by file) cannot inline, so each code is written here and
// type-checked against its member: a renumbered enum fails `tsc`.
const OPEN_BRACE: SyntaxKind.OpenBraceToken = 1;
const CLOSE_BRACE: SyntaxKind.CloseBraceToken = 2;
const OPEN_BRACKET: SyntaxKind.OpenBracketToken = 3;
const CLOSE_BRACKET: SyntaxKind.CloseBracketToken = 4;
const COMMA: SyntaxKind.CommaToken = 5;
const STRING: SyntaxKind.StringLiteral = 10;
const EOF: SyntaxKind.EOF = 17;

/** Per lead byte: the length of its sequence and the range its second byte must fall in (Unicode 15, table 3-7). */
const LEADS: readonly { from: number; to: number; length: number; second: readonly [number, number] }[] = [
  { from: 0xc2, to: 0xdf, length: 2, second: [0x80, 0xbf] },
  // Below 0xA0 the three bytes would encode what fits in two (overlong).
  { from: 0xe0, to: 0xe0, length: 3, second: [0xa0, 0xbf] },
  { from: 0xe1, to: 0xec, length: 3, second: [0x80, 0xbf] },
  // Above 0x9F they would encode a UTF-16 surrogate (U+D800..U+DFFF), which is no character.
  { from: 0xed, to: 0xed, length: 3, second: [0x80, 0x9f] },
  { from: 0xee, to: 0xef, length: 3, second: [0x80, 0xbf] },
  { from: 0xf0, to: 0xf0, length: 4, second: [0x90, 0xbf] },
  { from: 0xf1, to: 0xf3, length: 4, second: [0x80, 0xbf] },
  // Above 0x8F they would encode past U+10FFFF.
  { from: 0xf4, to: 0xf4, length: 4, second: [0x80, 0x8f] },
];

/** The 0-based offset of the first byte that does not begin a well-formed UTF-8 sequence; undefined when the bytes are UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  // The native check answers for every valid file; the walk below runs only to say where an invalid one goes wrong.
  if (isUtf8(bytes)) return undefined;
  let offset = 0;
  while (offset < bytes.length) {
    const length = wellFormedLength(bytes, offset);
    if (length === 0) return offset;
    offset += length;
  }
  return undefined;
}

/** The length of the well-formed sequence starting at offset, 0 when none does. */
function wellFormedLength(bytes: Uint8Array, offset: number): number {
  const lead = bytes[offset];
  if (lead < 0x80) return 1;
  const rule = LEADS.find((candidate) => lead >= candidate.from && lead <= candidate.to);
  if (!rule || offset + rule.length > bytes.length) return 0;
  for (let i = 1; i < rule.length; i++) {
    const [low, high] = i === 1 ? rule.second : [0x80, 0xbf];
    if (bytes[offset + i] < low || bytes[offset + i] > high) return 0;
  }
  return rule.length;
}

/** How many bytes the lead byte's bit pattern announces (1 for a byte that cannot lead), so a message can show the whole attempt. */
export function announcedLength(lead: number): number {
  if (lead >= 0xf0 && lead < 0xf8) return 4;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  if (lead >= 0xc0 && lead < 0xe0) return 2;
  return 1;
}

/** A key written more than once in one object: the object's path from the file's root, the key, and the offset of each writing. */
export interface RepeatedKey {
  readonly segments: readonly (string | number)[];
  readonly offsets: readonly number[];
}

type Frame =
  | { readonly kind: "object"; readonly keys: Map<string, number[]>; key: string; expectsKey: boolean }
  | { readonly kind: "array"; index: number };

/**
 * Every key written more than once in the same object, compared as JSON.parse
 * compares them (after unescaping: "a" and "\u0061" are one key), in the order
 * of their first writing. The text must be JSON that JSON.parse accepted: the
 * grammar is not checked again. The tokens are followed with an explicit stack
 * rather than jsonc-parser's recursive visitor, which overflows the call stack
 * at a few thousand levels of nesting that JSON.parse accepts.
 */
export function repeatedKeys(text: string): RepeatedKey[] {
  const scanner = createScanner(text, true);
  const frames: Frame[] = [];
  const repeated: RepeatedKey[] = [];
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    const top = frames[frames.length - 1];
    if (token === OPEN_BRACE) frames.push({ kind: "object", keys: new Map(), key: "", expectsKey: true });
    else if (token === OPEN_BRACKET) frames.push({ kind: "array", index: 0 });
    else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) {
      frames.pop();
      // The object is complete, and the frames left are exactly the path to it.
      // A loop, not push(...): an object of a few hundred thousand repeated keys would overflow the arguments' stack.
      if (top.kind === "object") for (const repeat of repeatsIn(top.keys, frames)) repeated.push(repeat);
    } else if (token === COMMA) {
      if (top.kind === "array") top.index++;
      else top.expectsKey = true;
    } else if (token === STRING && top?.kind === "object" && top.expectsKey) {
      // After "{" or "," in an object the next string is a key; any other string is a value.
      top.key = scanner.getTokenValue();
      const offsets = top.keys.get(top.key);
      if (offsets) offsets.push(scanner.getTokenOffset());
      else top.keys.set(top.key, [scanner.getTokenOffset()]);
      top.expectsKey = false;
    }
  }
  return repeated.sort((a, b) => a.offsets[0] - b.offsets[0]);
}

function repeatsIn(keys: Map<string, number[]>, path: readonly Frame[]): RepeatedKey[] {
  const at = path.map((frame) => (frame.kind === "object" ? frame.key : frame.index));
  return [...keys].filter(([, offsets]) => offsets.length > 1).map(([key, offsets]) => ({ segments: [...at, key], offsets }));
}
