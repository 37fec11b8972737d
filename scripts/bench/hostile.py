#!/usr/bin/env python3
"""Hostile-input benchmark: one Markdown page of about 1 MB per attack.

    python3 scripts/bench/hostile.py [--bin target/debug/drehbuch] [--size 1000000]
                                     [--only headings,links] [--timeout 120] [--max-rss 2048] [--check]

For each attack it writes a fixture site (one language, search on, the page's
section printed as one document, a site shortcode) under
target/hostile/<case>/ whose page content/chapters/hostile.en.md holds the
generated input, runs `drehbuch build` on it (and `drehbuch check` with
--check) and prints the wall time, the peak resident memory of the process
(from os.wait4) and how the build ended: `ok`, `errors` (the build refused
the input with diagnostics; the stderr size says whether they stayed
readable) or `timeout` / `killed above N MiB` (the script's own limits). The goal (issue 19): every 1 MB Markdown file builds
in under 3 s and under 300 MB, or is refused with a clear error. Standard
library only; see docs/performance.md for the latest table.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.dont_write_bytecode = True


def repeat_to(unit: str, size: int) -> str:
    """`unit` repeated until the text is about `size` bytes."""
    return unit * max(1, size // len(unit))


def numbered(template: str, size: int) -> str:
    """`template` with {n} = 0, 1, 2, … joined until about `size` bytes."""
    parts, total, n = [], 0, 0
    while total < size:
        part = template.format(n=n)
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)


def code_block(size: int) -> str:
    line = 'fn f{n}(x: &str) -> Option<u32> {{ let y = x.len() as u32 * 2; /* "note" */ Some(y + {n}) }}\n'
    return "```rust\n" + numbered(line, size) + "```\n"


def table(size: int) -> str:
    head = "| name | value | note |\n|---|---|---|\n"
    return head + numbered("| row {n} | {n} | some *text* here |\n", size - len(head))


def wide_table(size: int) -> str:
    columns = max(1, size // 12)
    head = "|" + "|".join(f"c{i}" for i in range(columns)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(columns)) + "|\n"
    row = "|" + "|".join("x" for _ in range(columns)) + "|\n"
    return head + rule + row


def footnotes(size: int) -> str:
    half = size // 2
    refs = numbered("Text[^n{n}] ", half)
    count = refs.count("[^")
    defs = "".join(f"[^n{i}]: Note {i}.\n" for i in range(count))
    return refs + "\n\n" + defs


def front_matter(size: int) -> str:
    # A huge front matter: a description of `size` bytes (shown in the
    # page's head, listings, feeds and the search index).
    return "description: \"" + repeat_to("long words ", size) + "\"\n"


# name → (what it is, body generator, extra front matter generator or None)
CASES: dict[str, tuple[str, object, object]] = {
    "headings": ("identical headings `## Same`", lambda s: repeat_to("## Same\n\n", s), None),
    "nested-lists": ("nested list markers `- - - …` on one line", lambda s: repeat_to("- ", s) + "x\n", None),
    "deep-quotes": ("nested block quotes `> > > …`", lambda s: repeat_to("> ", s) + "x\n", None),
    "shortcode-braces": ("`{{ ` × n on one line (errors)", lambda s: repeat_to("{{ ", s) + "\n", None),
    "event-handlers": ("`<b onclick=x>` × n (warnings)", lambda s: repeat_to("<b onclick=x>", s) + "\n", None),
    "code-line": ("a fenced JavaScript block of one line", lambda s: "```js\n" + repeat_to("f(a, 'b') + ", s) + "\n```\n", None),
    "code-blocks": ("many small fenced Rust blocks", lambda s: repeat_to("```rust\nlet x = f(1, \"a\");\n```\n\n", s), None),
    "table": ("a long table", table, None),
    "wide-table": ("a table of about 83,000 columns", wide_table, None),
    "code-block": ("one fenced Rust code block", code_block, None),
    "long-line": ("one paragraph on one line", lambda s: repeat_to("word ", s) + "\n", None),
    "links": ("distinct external links", lambda s: numbered("[l](https://example.org/{n}) ", s) + "\n", None),
    "footnotes": ("footnote references and definitions", footnotes, None),
    "images": ("images", lambda s: numbered("![a {n}](/img/{n}.png) ", s) + "\n", None),
    "shortcodes": ("site shortcode calls", lambda s: repeat_to('{{ note(text="x") }}\n\n', s), None),
    "emphasis": ("unclosed emphasis `*a **b `", lambda s: repeat_to("*a **b ", s) + "\n", None),
    "code-span-braces": ("code spans holding `{{ x }}`", lambda s: repeat_to("`{{ x }}` ", s) + "\n", None),
    "unknown-shortcodes": ("calls of an unknown shortcode (errors)", lambda s: repeat_to("{{ nope() }}\n\n", s), None),
    "broken-links": ("links to a missing page (errors)", lambda s: repeat_to("[a](@/nope.md) ", s) + "\n", None),
    "front-matter": ("a 1 MB front matter value", lambda s: "Short body.\n", front_matter),
}


def write_site(root: Path, case: str, size: int) -> int:
    """Writes the fixture site for `case`; returns the page's size in bytes."""
    if root.exists():
        shutil.rmtree(root)
    (root / "content" / "chapters").mkdir(parents=True)
    (root / "templates" / "shortcodes").mkdir(parents=True)
    (root / "site.yaml").write_text(
        'title: {en: "Hostile"}\nbase_url: "https://example.org/"\n'
        "default_language: en\nlanguages:\n  - {code: en, name: English}\n"
        "print: [chapters]\n"
    )
    (root / "templates" / "shortcodes" / "note.html").write_text(
        '{% component note(text: string) %}<aside class="note">{{ text }}</aside>{% endcomponent note %}\n'
    )
    (root / "content" / "_index.en.md").write_text("---\ntitle: Home\n---\nHome.\n")
    (root / "content" / "chapters" / "_index.en.md").write_text("---\ntitle: Chapters\nlayout: book\n---\nAll.\n")
    _, body, extra = CASES[case]
    front = "---\ntitle: Hostile\n" + (extra(size) if extra else "") + "---\n"
    page = front + body(size)
    (root / "content" / "chapters" / "hostile.en.md").write_text(page)
    return len(page.encode())


def resident_mib(pid: int) -> float:
    """The process's resident memory now, in MiB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(argv: list[str], cwd: Path, timeout: float, max_rss: float) -> dict:
    """Runs argv; wall time, peak RSS (MiB), exit code, stderr size. A run
    is killed after `timeout` seconds or above `max_rss` MiB, so a hostile
    input cannot take the machine down with it."""
    err_path = cwd / ".stderr"
    with open(err_path, "wb") as err:
        start = time.monotonic()
        child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        killed: list[str] = []
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.05):
                if time.monotonic() - start > timeout:
                    killed.append("timeout")
                elif resident_mib(child.pid) > max_rss:
                    killed.append(f"killed above {max_rss:.0f} MiB")
                else:
                    continue
                try:
                    os.killpg(child.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - start
        done.set()
        watcher.join()
    stderr = err_path.read_bytes()
    err_path.unlink()
    code = os.waitstatus_to_exitcode(status)
    if killed:
        outcome = killed[0]
    elif code == 0:
        outcome = "ok"
    elif code == 1:
        outcome = "errors"
    else:
        outcome = f"crash ({code})"
    last = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    return {
        "wall": wall,
        "rss": usage.ru_maxrss / 1024,
        "outcome": outcome,
        "stderr_bytes": len(stderr),
        "last": last[0][:100],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=str(REPO / "target" / "debug" / "drehbuch"))
    parser.add_argument("--size", type=int, default=1_000_000, help="bytes of Markdown per page")
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a run is killed")
    parser.add_argument("--max-rss", type=float, default=2048.0, help="MiB before a run is killed")
    parser.add_argument("--check", action="store_true", help="also time `drehbuch check`")
    parser.add_argument("--work", default=str(REPO / "target" / "hostile"))
    parser.add_argument("--verbose", action="store_true", help="print the last stderr line of each run")
    args = parser.parse_args()

    binary = Path(args.bin).resolve()
    if not binary.exists():
        print(f"error: no binary at {binary}; run `cargo build` first", file=sys.stderr)
        return 2
    cases = [c for c in args.only.split(",") if c] or list(CASES)
    for c in cases:
        if c not in CASES:
            print(f"error: unknown case `{c}`; cases: {', '.join(CASES)}", file=sys.stderr)
            return 2

    work = Path(args.work)
    print(f"binary: {binary}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(f"page size: {args.size:,} bytes of Markdown; timeout {args.timeout:.0f} s\n")
    print("| input | what | page KB | command | result | wall s | peak RSS MiB | stderr KB |")
    print("|---|---|---|---|---|---|---|---|")
    for case in cases:
        root = work / case
        size = write_site(root, case, args.size)
        commands = [("build", [str(binary), "build"])]
        if args.check:
            commands.append(("check", [str(binary), "check"]))
        for name, argv in commands:
            r = measure(argv, root, args.timeout, args.max_rss)
            print(
                f"| {case} | {CASES[case][0]} | {size / 1000:,.0f} | {name} | {r['outcome']} "
                f"| {r['wall']:.2f} | {r['rss']:.0f} | {r['stderr_bytes'] / 1000:,.1f} |",
                flush=True,
            )
            if args.verbose and r["last"]:
                print(f"    {r['last']}", flush=True)
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
