// extraFields(schema, value): the fields of a value that its protocol schema does not name, at any depth.
import type { z } from "zod";

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; catchall?: z.ZodType; valueType?: z.ZodType };
const defOf = (s: z.ZodType) => (s as unknown as { def: Def }).def;

/** Paths of the fields in `value` that `schema` does not name (objects that allow any field, and records, excepted). */
export function extraFields(schema: z.ZodType, value: unknown, path = "body"): string[] {
  const def = defOf(schema);
  if (["optional", "nullable", "default", "readonly", "nonoptional"].includes(def.type)) return value == null ? [] : extraFields(def.innerType!, value, path);
  if (def.type === "pipe") return extraFields(def.in!, value, path);
  if (def.type === "union") {
    const match = def.options!.find((o) => o.safeParse(value).success);
    return match ? extraFields(match, value, path) : [];
  }
  if (def.type === "array" && Array.isArray(value)) return value.flatMap((v, i) => extraFields(def.element!, v, `${path}[${i}]`));
  if (def.type === "record" && value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => extraFields(def.valueType!, v, `${path}.${k}`));
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (def.type === "object" && shape && value && typeof value === "object" && !Array.isArray(value)) {
    const open = def.catchall !== undefined && defOf(def.catchall).type !== "never";
    return Object.entries(value).flatMap(([k, v]) => (k in shape ? extraFields(shape[k]!, v, `${path}.${k}`) : open ? [] : [`${path}.${k}`]));
  }
  return [];
}
