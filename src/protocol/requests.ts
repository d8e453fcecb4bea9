// Request bodies shared by REST and WebSocket: the same schema validates `POST /api/stream/start` and `streamStart`.
import { z } from "zod";
import { DecisionSchema, PermissionModeSchema, SessionIdSchema } from "./common.js";
import { IMAGE_MEDIA_TYPES, MAX_IMAGE_BYTES, MAX_IMAGES } from "./constants.js";

/** Longest prompt accepted, in characters. */
export const MAX_PROMPT_CHARS = 100_000;
export { IMAGE_MEDIA_TYPES, MAX_IMAGE_BYTES, MAX_IMAGES };

export const PromptSchema = z
  .string()
  .max(MAX_PROMPT_CHARS, { message: `must be at most ${MAX_PROMPT_CHARS} characters` })
  .refine((s) => s.trim().length > 0, { message: "must not be empty" });

export const ImageSchema = z
  .object({
    mediaType: z.enum(IMAGE_MEDIA_TYPES),
    /** Base64 (standard alphabet, padding optional). */
    data: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: "must be base64" }),
  })
  .strict();
export type PromptImage = z.infer<typeof ImageSchema>;

export const ImagesSchema = z
  .array(ImageSchema)
  .max(MAX_IMAGES)
  .refine((imgs) => imgs.reduce((n, i) => n + i.data.length, 0) <= MAX_IMAGE_BYTES, {
    message: `images must total at most ${MAX_IMAGE_BYTES} bytes of base64`,
  });

/** Model alias or id; passed to `--model`. */
export const ModelSchema = z
  .string()
  .min(1)
  .max(200)
  // It goes after `--model` on Claude's command line: a leading '-' would read as another option.
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/\-[\]]*$/, { message: "must be a model alias or id (letters, digits and . _ : @ / - [ ], starting with a letter or digit)" });
/** A working directory; must exist and lie inside the allowed roots (else FORBIDDEN_PATH). */
export const WorkingDirectorySchema = z.string().min(1).max(4096);

export const AskRequestSchema = z
  .object({
    prompt: PromptSchema,
    workingDirectory: WorkingDirectorySchema.optional(),
    permissionMode: PermissionModeSchema.optional(),
    model: ModelSchema.optional(),
    /** Give up waiting after this many ms (default 300000). */
    timeoutMs: z.number().int().min(1000).max(3_600_000).optional(),
  })
  .strict();
export type AskRequest = z.infer<typeof AskRequestSchema>;

export const StreamStartRequestSchema = z
  .object({
    prompt: PromptSchema.optional(),
    images: ImagesSchema.optional(),
    workingDirectory: WorkingDirectorySchema.optional(),
    permissionMode: PermissionModeSchema.optional(),
    model: ModelSchema.optional(),
    /** Resume an earlier conversation by its session id. */
    resume: SessionIdSchema.optional(),
    /** With `resume`: continue under a new session id (`--fork-session`), leaving the original untouched. */
    fork: z.boolean().optional(),
  })
  .strict();
export type StreamStartRequest = z.infer<typeof StreamStartRequestSchema>;

export const StreamSendRequestSchema = z.object({ prompt: PromptSchema, images: ImagesSchema.optional() }).strict();
export type StreamSendRequest = z.infer<typeof StreamSendRequestSchema>;

export const PermissionAnswerSchema = z
  .object({
    decision: DecisionSchema,
    /** Shown to Claude with a deny. */
    message: z.string().max(10_000).optional(),
    /** Replaces the tool input on allow; for AskUserQuestion it carries `answers`. */
    updatedInput: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type PermissionAnswerRequest = z.infer<typeof PermissionAnswerSchema>;

export const SetPermissionModeSchema = z.object({ mode: PermissionModeSchema }).strict();
export const SetModelSchema = z.object({ model: ModelSchema.nullable() }).strict();

export const EventsQuerySchema = z
  .object({
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
  })
  .strict();
