"""Pulls the deploy files out of where they are written for people, so
.ci/run can hand them to the linters and schemas:

  deploy_files.py blocks docs/deploy.md OUT
      Every fenced block whose info string is `yaml <kind>` or `toml <kind>`
      goes to OUT/<kind>/<n>.<yml|toml>. Kinds: github-workflow,
      forgejo-workflow, gitlab-ci, woodpecker (YAML), netlify (TOML, parsed
      here). A yaml or toml block without a known kind is an error, so no
      example goes unchecked.

  deploy_files.py scripts action.yml OUT
      The `run:` script of every step of a composite action goes to
      OUT/<n>.sh (bash, as the steps say), for shellcheck; actionlint does
      not look inside action metadata files.
"""

import pathlib
import re
import sys
import tomllib

YAML_KINDS = {"github-workflow", "forgejo-workflow", "gitlab-ci", "woodpecker"}
TOML_KINDS = {"netlify"}
FENCE = re.compile(r"^(```+)\s*(\S*)\s*(.*)$")


def blocks(markdown: pathlib.Path, out: pathlib.Path) -> int:
    lines = markdown.read_text(encoding="utf-8").splitlines(keepends=True)
    problems = []
    count = 0
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i].rstrip("\n"))
        if not match:
            i += 1
            continue
        fence, language, kind = match.group(1), match.group(2), match.group(3).strip()
        start = i + 1
        end = start
        while end < len(lines) and not lines[end].startswith(fence):
            end += 1
        body = "".join(lines[start:end])
        where = f"{markdown}:{i + 1}"
        if language in ("yaml", "yml", "toml"):
            known = YAML_KINDS if language != "toml" else TOML_KINDS
            if kind not in known:
                problems.append(
                    f"{where}: error: a ```{language} block needs its kind after the language "
                    f"(one of {', '.join(sorted(known))}), so .ci/run can check it"
                )
            else:
                count += 1
                extension = "toml" if language == "toml" else "yml"
                target = out / kind / f"{count:02d}.{extension}"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(body, encoding="utf-8")
                if language == "toml":
                    try:
                        tomllib.loads(body)
                    except tomllib.TOMLDecodeError as error:
                        problems.append(f"{where}: error: not valid TOML: {error}")
        i = end + 1
    for problem in problems:
        print(problem, file=sys.stderr)
    if count == 0:
        print(f"{markdown}: error: no tagged yaml or toml blocks found", file=sys.stderr)
        return 1
    return 1 if problems else 0


def scripts(action: pathlib.Path, out: pathlib.Path) -> int:
    from ruamel.yaml import YAML

    metadata = YAML(typ="safe").load(action.read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for n, step in enumerate(metadata["runs"]["steps"], start=1):
        if "run" not in step:
            continue
        if step.get("shell") != "bash":
            print(f"{action}: error: step {n} runs without `shell: bash`", file=sys.stderr)
            return 1
        count += 1
        (out / f"{n:02d}.sh").write_text("#!/usr/bin/env bash\n" + step["run"], encoding="utf-8")
    return 0 if count else 1


if __name__ == "__main__":
    command, source, target = sys.argv[1:4]
    run = {"blocks": blocks, "scripts": scripts}[command]
    sys.exit(run(pathlib.Path(source), pathlib.Path(target)))
