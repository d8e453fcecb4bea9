// GET /api/models: the models the Claude Code CLI reports (the model picker; any other name may still be typed).
import { z } from "zod";

/** One model as Claude Code's `initialize` reply lists it. */
export const ClaudeModelSchema = z.object({
  /** What `model` takes (streamStart, setModel): an alias such as "default", "sonnet", "opus", or a full id. */
  value: z.string(),
  /** Claude Code's label, e.g. "Default (recommended)"; `value` when it gives none. */
  displayName: z.string(),
  /** Claude Code's one-line description; may be "". */
  description: z.string(),
});
export type ClaudeModel = z.infer<typeof ClaudeModelSchema>;

export const MODEL_SOURCES = ["claude", "none"] as const;

export const ModelsResponseSchema = z.object({
  /**
   * `claude`: the list of the last Claude Code process of this daemon that answered `initialize` (the warm spare
   * answers it at start); `none`: no process has answered yet (no CLI, or the warm pool is off and no session ran):
   * the list is empty and the client offers a free field only.
   */
  source: z.enum(MODEL_SOURCES),
  models: z.array(ClaudeModelSchema),
});
export type ModelsResponse = z.infer<typeof ModelsResponseSchema>;
