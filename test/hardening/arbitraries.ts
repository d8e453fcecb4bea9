// Hostile inputs for the fuzz tests, as JSON text (so keys like `__proto__` reach the server literally).
import fc from "fast-check";

/** The seed of every fuzz run: a failure is replayed with the same seed and the printed path. */
export const FUZZ_SEED = 0x5eed_c0de;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Strings a careless parser trips on. */
export const nastyString = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "\t\r\n",
  "\uFEFF",
  "\u202Eevil",
  "a\u0301\u0301\u0301",
  "𝕳𝖊𝖑𝖑𝖔 👩‍👩‍👧‍👦 🏳️‍🌈",
  "ﷺ",
  "\u0000\u0001\u001f\u007f",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e400",
  "\\",
  '"',
  "'; DROP TABLE sessions; --",
  "<script>alert(1)</script>",
  "${process.exit()}",
  "{{7*7}}",
  "..",
  "../../../../etc/passwd",
  "..%2f..%2fetc",
  "/etc",
  "/proc/self/cwd",
  "~",
  "C:\\Windows",
  "\\\\server\\share",
  "%00",
  "%s%s%s%n",
  "bearer.x",
);

/** Any short string: random, any code point, lone surrogates, nasty ones. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom("a", "\u0000", "é")), maxLength: 12 }) },
  { weight: 4, arbitrary: nastyString },
);

/** A very long string: around the prompt limit (100 000 characters) and past it, in 1- to 4-byte characters. */
export const hugeString = fc
  .tuple(fc.constantFrom(100_000, 100_001, 400_000), fc.constantFrom("x", "é", "𝕳", " ", "\u0000"))
  .map(([n, c]) => c.repeat(n));

const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom("0", "-0", "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "9007199254740993", "0.1", "1000", "3600001", "999", "4.5e3"),
);

/** The JSON text of a key: schema keys, prototype keys, random ones. */
export function keyArb(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: known.length > 0 ? 4 : 0, arbitrary: fc.constantFrom(...known, "") },
    { weight: 2, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "valueOf", "__defineGetter__") },
    { weight: 2, arbitrary: anyString },
  );
}

/** JSON text of a value reaching `{ polluted: … }` through `__proto__`, `constructor.prototype` and `prototype`. */
export const polluter = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"}}',
  '[{"__proto__":{"polluted":"yes"}}]',
  '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
);

/** Text of a deeply nested value (up to 100 000 levels: a recursive validator or serialiser would blow its stack). */
export const deepValue = fc.tuple(fc.constantFrom(64, 1000, 10_000, 100_000), fc.constantFrom("[", '{"a":')).map(([depth, open]) =>
  open === "[" ? "[".repeat(depth) + "]".repeat(depth) : open.repeat(depth) + "1" + "}".repeat(depth),
);

/** JSON text of any value, with the given keys favoured in objects. */
export function jsonText(known: readonly string[] = []): fc.Arbitrary<string> {
  return jsonArbs(known).value;
}

/** JSON text of an object (of any values), with the given keys favoured. */
export function jsonObject(known: readonly string[] = []): fc.Arbitrary<string> {
  return jsonArbs(known).object;
}

function jsonArbs(known: readonly string[]) {
  return fc.letrec<{ value: string; scalar: string; array: string; object: string }>((tie) => ({
    value: fc.oneof({ depthSize: "small", maxDepth: 4 }, tie("scalar"), tie("array"), tie("object")),
    scalar: fc.oneof(anyString.map((s) => JSON.stringify(s)), numberText, fc.constantFrom("true", "false", "null"), polluter),
    array: fc.array(tie("value"), { maxLength: 5 }).map((xs) => `[${xs.join(",")}]`),
    object: fc
      .array(fc.tuple(keyArb(known), tie("value")), { maxLength: 6 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
  }));
}

/** JSON text of an object with each of `fields` present four times in five (each with its own mix of right and wrong values), and now and then extras. */
export function shapedObject(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const names = Object.keys(fields);
  return fc
    .tuple(
      fc.tuple(...names.map((n) => fc.oneof({ weight: 4, arbitrary: fields[n]!.map((v) => [n, v] as const) }, { weight: 1, arbitrary: fc.constant(null) }))),
      fc.array(fc.tuple(keyArb(names), fc.oneof(jsonText(), polluter)), { minLength: 1, maxLength: 2 }),
      fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    )
    .map(([pairs, extras, withExtras]) => {
      const all = [...pairs.filter((p) => p !== null), ...(withExtras ? extras : [])];
      return `{${all.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
    });
}

/** A field value: mostly `right` (JSON text of valid values), else anything. */
export function field(right: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 850, arbitrary: right },
    { weight: 100, arbitrary: jsonText() },
    { weight: 30, arbitrary: polluter },
    // Rare, as they are costly (up to 1.6 MB): still a few dozen in every 5 000 cases.
    { weight: 2, arbitrary: deepValue },
    { weight: 2, arbitrary: hugeString.map((s) => JSON.stringify(s)) },
  );
}

export const quoted = (a: fc.Arbitrary<string>) => a.map((s) => JSON.stringify(s));

/** The body as sent: the shaped or random JSON text, broken now and then (truncated, raw bytes, empty). */
export function bodyBytes(shaped: fc.Arbitrary<string>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 12, arbitrary: shaped.map((s) => Buffer.from(s)) },
    { weight: 4, arbitrary: jsonText().map((s) => Buffer.from(s)) },
    { weight: 2, arbitrary: fc.tuple(shaped, fc.nat()).map(([s, n]) => Buffer.from(s.slice(0, n % Math.max(1, s.length)))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.constantFrom("", " ", "\n", "null", "[]", "{}", "{", "}", '{"a":1,}', "\uFEFF{}").map((s) => Buffer.from(s)) },
  );
}

/** Content-Type headers: mostly right, then wrong, odd or missing. */
export const contentType = fc.oneof(
  { weight: 17, arbitrary: fc.constant("application/json") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/json; charset=latin1",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonx",
      "",
      "none",
    ),
  },
);

export const uuidText = fc.uuid({ version: 4 });
export const base64 = fc.uint8Array({ maxLength: 48 }).map((b) => Buffer.from(b).toString("base64"));

/** Percent-encodes any string, lone surrogates included (they become U+FFFD first, as a client's UTF-8 encoder would). */
export const pathSegment = (s: string): string => encodeURIComponent(Buffer.from(s, "utf8").toString("utf8"));

// ---- request fields (the same schemas serve REST bodies and WebSocket `data`) -------------------

export const prompt = field(quoted(fc.oneof(fc.string({ minLength: 1 }), nastyString, fc.constant("hello"))));
export const images = field(
  fc
    .array(
      shapedObject({
        mediaType: field(quoted(fc.constantFrom("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "text/html"))),
        data: field(quoted(fc.oneof(base64, anyString))),
      }),
      { maxLength: 3 },
    )
    .map((xs) => `[${xs.join(",")}]`),
);
export const workingDirectory = field(quoted(fc.constantFrom(".", "./", "..", "../..", "/", "/etc", "/proc/self/cwd", "sub/../..", "%2e%2e", "\u0000", "~/x", "")));
export const permissionMode = field(quoted(fc.constantFrom("default", "acceptEdits", "bypassPermissions", "plan", "auto", "dontAsk", "yolo")));
export const model = field(quoted(fc.constantFrom("sonnet", "opus", "claude-x-1", "rm -rf /", "a".repeat(201), "[1m]")));
export const resume = field(quoted(fc.oneof({ weight: 4, arbitrary: uuidText }, { weight: 1, arbitrary: anyString })));

export const timeoutMs = field(fc.constantFrom("1000", "999", "3600000", "3600001", "1.5", '"5000"', "-1", "1e400"));
