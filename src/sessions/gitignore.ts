// A small .gitignore matcher for directories that are not git repositories (the @ picker's walk). Pure.

interface Rule {
  /** Directory of the .gitignore, relative to the walk's start ("" for the start itself). */
  base: string;
  negate: boolean;
  dirOnly: boolean;
  regex: RegExp;
}

function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const slash = glob[i + 2] === "/";
        out += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        out += "[" + glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\") + "]";
        i = end;
      }
    } else if (c === "\\" && i + 1 < glob.length) out += "\\" + glob[++i];
    else out += /[.+^${}()|\]\\/]/.test(c) ? "\\" + c : c;
  }
  return out;
}

/** The rules of one .gitignore file found in `base` (relative to the walk's start, "" for the start). */
export function parseGitignore(text: string, base: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, "");
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith("/");
    if (dirOnly) line = line.replace(/\/+$/, "");
    if (line === "") continue;
    const anchored = line.includes("/");
    line = line.replace(/^\//, "");
    const body = globToRegex(line);
    rules.push({ base, negate, dirOnly, regex: new RegExp(anchored ? `^${body}$` : `(?:^|/)${body}$`) });
  }
  return rules;
}

/** Whether `path` (relative to the walk's start, "/"-separated) is ignored by `rules`; the last matching rule wins. */
export function isIgnored(rules: readonly Rule[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    if (r.base !== "" && !path.startsWith(r.base + "/")) continue;
    const rel = r.base === "" ? path : path.slice(r.base.length + 1);
    if (r.regex.test(rel)) ignored = !r.negate;
  }
  return ignored;
}

export type GitignoreRule = Rule;
