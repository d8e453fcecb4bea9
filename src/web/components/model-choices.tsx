// The model field's choices: the models the CLI reports (GET /api/models), then the usual aliases; any other name may be typed.
import { useEffect, useState } from "preact/hooks";
import type { ClaudeModel, ModelsResponse } from "../../protocol/models.js";
import { call } from "../api.js";
import { getState } from "../store.js";

/** Aliases offered when the CLI has not reported its list (or beside it). */
export const MODEL_ALIASES = ["default", "sonnet", "opus", "haiku"];

let cached: ClaudeModel[] | null = null;

/** The reported models once fetched (asked again while the CLI has reported none). */
export function useReportedModels(): ClaudeModel[] {
  const [models, setModels] = useState<ClaudeModel[]>(cached ?? []);
  useEffect(() => {
    const token = getState().token;
    if (cached || !token) return;
    call<ModelsResponse>("/api/models", { token }).then(
      (r) => {
        if (r.source === "claude") cached = r.models;
        setModels(r.models);
      },
      () => undefined,
    );
  }, []);
  return models;
}

/** A <datalist> for a model input: the CLI's models with their labels, then the aliases it did not name. */
export function ModelChoices({ id }: { id: string }) {
  const models = useReportedModels();
  const named = new Set(models.map((m) => m.value));
  return (
    <datalist id={id} data-reported={models.length}>
      {models.map((m) => (
        <option key={m.value} value={m.value} label={m.description ? `${m.displayName}: ${m.description}` : m.displayName} />
      ))}
      {MODEL_ALIASES.filter((a) => !named.has(a)).map((a) => (
        <option key={a} value={a} />
      ))}
    </datalist>
  );
}
