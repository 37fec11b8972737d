#!/usr/bin/env python3
"""Fails on CSS that names a physical side where a logical one reads the same
in right-to-left scripts (Arabic, Hebrew, …): properties with left/right
(margin-left, border-right, left: …), text-align/float/clear with left or
right, and margin/padding/border-width/inset/border-radius shorthands whose
left and right values differ (`margin: 0 .5rem 0 0`). Use margin-inline-start,
inset-inline-start, text-align: start, border-start-start-radius … instead.

    python3 scripts/check-logical-css.py [FILE_OR_DIR ...]   (default: themes/default/static/css)

Prints `file:line: …` per finding and `logical-css: N file(s), N finding(s)`;
exit 1 on any finding, 2 on a missing path.
"""
import pathlib
import re
import sys

SIDE_PROPERTY = re.compile(r"(?<![\w-])(?:[\w-]*-)?(?:left|right)(?:-[\w-]+)?\s*:", re.I)
SIDE_VALUE = re.compile(r"(?<![\w-])(?:text-align|float|clear|caption-side)\s*:\s*(?:left|right)\b", re.I)
SHORTHAND = re.compile(r"(?<![\w-])(margin|padding|border-width|border-style|border-color|inset|scroll-margin|scroll-padding)\s*:\s*([^;{}]+)", re.I)
RADIUS = re.compile(r"(?<![\w-])border-radius\s*:\s*([^;{}]+)", re.I)


def values(text):
    """Top-level space-separated values (parentheses kept together)."""
    out, depth, word = [], 0, ""
    for ch in text.replace("!important", "").strip():
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch.isspace() and depth == 0:
            if word:
                out.append(word)
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


def findings(path):
    text = path.read_text(encoding="utf-8")
    # Comments out, line breaks kept so line numbers stay right.
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    for number, line in enumerate(text.splitlines(), 1):
        for m in SIDE_PROPERTY.finditer(line):
            yield number, f"physical side in `{m.group(0).rstrip(':').strip()}`; use its -inline-start/-inline-end form"
        for m in SIDE_VALUE.finditer(line):
            yield number, f"`{m.group(0)}`; use start/end (inline-start/inline-end)"
        for m in SHORTHAND.finditer(line):
            v = values(m.group(2))
            if len(v) == 4 and v[1] != v[3]:
                yield number, f"`{m.group(1)}: {m.group(2).strip()}` sets left and right apart; use -block and -inline longhands"
        for m in RADIUS.finditer(line):
            v = values(m.group(1).split("/")[0])
            if (len(v) == 2 and v[0] != v[1]) or (len(v) == 3 and v[0] != v[1]) or (len(v) == 4 and (v[0] != v[1] or v[2] != v[3])):
                yield number, f"`border-radius: {m.group(1).strip()}` rounds one side; use border-start-start-radius …"


def main(args):
    roots = [pathlib.Path(a) for a in args] or [pathlib.Path(__file__).resolve().parent.parent / "themes/default/static/css"]
    files = []
    for root in roots:
        if not root.exists():
            print(f"logical-css: no such file or folder: {root}", file=sys.stderr)
            return 2
        files += sorted(root.rglob("*.css")) if root.is_dir() else [root]
    count = 0
    for path in files:
        for number, message in findings(path):
            print(f"{path}:{number}: {message}")
            count += 1
    print(f"logical-css: {len(files)} file(s), {count} finding(s)")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
