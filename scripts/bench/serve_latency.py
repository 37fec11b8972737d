#!/usr/bin/env python3
"""Time from saving one page to the preview's reload, for `drehbuch serve`
and (if found) `hugo server`, on the generated benchmark site.

    python3 scripts/bench/serve_latency.py --pages 10000 --edits 20 --rss-edits 1000 [--shape wide]

For drehbuch it measures two things per edit: the time until the server's
reload event arrives (what the browser waits for), and the time until the
edited text is served. For Hugo it measures the time until the edited text
is served (polled every 2 ms), since Hugo's reload goes over a websocket.
Besides edits of a page's text it times edits of a page's title (its front
matter: listings and neighbours change too) and a template change that
touches every page, and reads the resident memory of the drehbuch server
after 100 and after `--rss-edits` edits. `--timings` runs the server with
`DREHBUCH_TIMINGS=1` and prints the median time of each stage over the
text edits. Standard library only.
"""

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def generate(pages, work, shape):
    site = work / "sites" / (f"serve-{pages}" if shape == "default" else f"serve-{pages}-{shape}")
    stamp = site / ".generator"
    gen = HERE / "gen_site.py"
    key = f"{gen.stat().st_mtime_ns}"
    if not (stamp.exists() and stamp.read_text() == key):
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([sys.executable, str(gen), "--pages", str(pages), "--out", str(site), "--shape", shape],
                       check=True, stdout=subprocess.DEVNULL)
        stamp.write_text(key)
    return site


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8", "replace")


class Events:
    """A raw server-sent events connection."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.sock.sendall(b"GET /__drehbuch/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.sock.recv(4096)
        self.buf = self.buf.split(b"\r\n\r\n", 1)[1]

    def next_event(self):
        while True:
            while b"\n\n" not in self.buf:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise RuntimeError("event stream closed")
                self.buf += chunk
            block, self.buf = self.buf.split(b"\n\n", 1)
            lines = block.decode("utf-8", "replace").splitlines()
            name = next((l[7:] for l in lines if l.startswith("event: ")), None)
            if name:
                return name, "\n".join(l[6:] for l in lines if l.startswith("data: "))


def wait_for_text(url, text, timeout=60, step=0.002):
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if text in get(url):
                return time.perf_counter()
        except OSError:
            pass
        time.sleep(step)
    raise RuntimeError(f"{text!r} did not appear at {url}")


def page_files(root, lang):
    files = sorted(p for p in (root / "content").glob(f"*/*.{lang}.md") if not p.name.startswith("_index"))
    return files


def url_of(site_root, path, lang):
    # The generator's pages live at /<lang>/<section>/<stem>/ (no slug front matter).
    section = path.parent.name
    stem = path.name[: -len(f".{lang}.md")]
    return f"/{lang}/{section}/{stem}/"


def edit(path, marker):
    text = path.read_text()
    head, sep, body = text.partition("\n---\n")
    path.write_text(f"{head}{sep}{marker}\n\n{body}")


def retitle(path, title):
    """Replaces the page's title in its front matter."""
    lines = path.read_text().split("\n")
    lines = [f"title: {json.dumps(title)}" if l.startswith("title: ") else l for l in lines]
    path.write_text("\n".join(lines))


def stage_medians(log, start):
    """Median milliseconds of each `timing:` stage in `log` after byte `start`."""
    stages = {}
    with open(log, encoding="utf-8", errors="replace") as f:
        f.seek(start)
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[0] == "timing:" and "ms" in parts:
                at = parts.index("ms")
                try:
                    stages.setdefault(" ".join(parts[1:at - 1]), []).append(float(parts[at - 1]))
                except ValueError:
                    pass
    return {name: statistics.median(v) for name, v in stages.items()}


def bench_drehbuch(binary, site, edits, rss_edits, timings):
    work = Path(tempfile.mkdtemp(prefix="drehbuch-serve-bench-"))
    root = work / "site"
    shutil.copytree(site / "drehbuch", root)
    port = free_port()
    log = work / "stderr.log"
    env = dict(os.environ)
    if timings:
        env["DREHBUCH_TIMINGS"] = "1"
    started = time.perf_counter()
    with open(log, "w") as err:
        proc = subprocess.Popen([binary, "serve", "--root", str(root), "--port", str(port)],
                                stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    first = proc.stdout.readline()
    startup = time.perf_counter() - started
    results = {"startup_s": startup, "first_line": first.strip()}
    # One line per rebuild: keep reading, so the server never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    try:
        files = page_files(root, "en")
        event_ms, visible_ms = [], []
        timed_from = log.stat().st_size
        for i in range(edits):
            path = files[(i * 37) % len(files)]
            events = Events(port)
            marker = f"Benchmark marker {i} drehbuch."
            t0 = time.perf_counter()
            edit(path, marker)
            name, _ = events.next_event()
            t1 = time.perf_counter()
            if name != "reload":
                raise RuntimeError(f"unexpected event {name}")
            t2 = wait_for_text(f"http://127.0.0.1:{port}{url_of(root, path, 'en')}", marker)
            event_ms.append((t1 - t0) * 1000)
            visible_ms.append((t2 - t0) * 1000)
            events.sock.close()
        results["edit_event_ms"] = event_ms
        results["edit_visible_ms"] = visible_ms
        if timings:
            results["edit_stage_ms"] = stage_medians(log, timed_from)
        results["rss_kib_after_start_and_edits"] = rss_kib(proc.pid)
        # Title edits: the page's listing, neighbours and facet pages show it.
        title_ms = []
        titles_from = log.stat().st_size
        for i in range(edits):
            path = files[(i * 41 + 7) % len(files)]
            events = Events(port)
            t0 = time.perf_counter()
            retitle(path, f"Retitled page {i}")
            name, _ = events.next_event()
            title_ms.append((time.perf_counter() - t0) * 1000)
            if name != "reload":
                raise RuntimeError(f"unexpected event {name}")
            events.sock.close()
        results["title_event_ms"] = title_ms
        if timings:
            results["title_stage_ms"] = stage_medians(log, titles_from)
        # A template change that touches every page.
        template = root / "templates" / "page.html"
        events = Events(port)
        t0 = time.perf_counter()
        template.write_text(template.read_text() + "\n{# touched #}\n")
        events.next_event()
        results["template_event_ms"] = (time.perf_counter() - t0) * 1000
        events.sock.close()
        # Memory: after 100 edits and after many; a full re-render (the
        # template change) sets the high-water mark first.
        rss_100 = None
        for i in range(rss_edits):
            path = files[(i * 53) % len(files)]
            events = Events(port)
            edit(path, f"Memory marker {i}.")
            events.next_event()
            events.sock.close()
            if i + 1 == min(100, rss_edits):
                rss_100 = rss_kib(proc.pid)
        results["rss_kib_after_100_edits"] = rss_100
        results["rss_kib_after_all_edits"] = rss_kib(proc.pid)
        results["rss_edits"] = rss_edits
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    return results


def bench_hugo(hugo, site, edits):
    work = Path(tempfile.mkdtemp(prefix="hugo-serve-bench-"))
    root = work / "site"
    shutil.copytree(site / "hugo", root)
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([hugo, "server", "--source", str(root), "--port", str(port), "--bind", "127.0.0.1",
                             "--cacheDir", str(work / "cache"), "--disableBrowserError"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # Wait until Hugo serves.
    for line in proc.stdout:
        if "Web Server is available" in line:
            break
    startup = time.perf_counter() - started
    results = {"startup_s": startup}
    try:
        files = page_files(root, "en")
        visible_ms = []
        for i in range(edits):
            path = files[(i * 37) % len(files)]
            marker = f"Benchmark marker {i} hugo."
            # Hugo's English pages: content/<section>/<stem>.en.md → /en/<section>/<stem>/
            url = f"http://127.0.0.1:{port}/en/{path.parent.name}/{path.name[:-len('.en.md')]}/"
            t0 = time.perf_counter()
            edit(path, marker)
            t2 = wait_for_text(url, marker)
            visible_ms.append((t2 - t0) * 1000)
        results["edit_visible_ms"] = visible_ms
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    return results


def find_hugos():
    found = []
    system = shutil.which("hugo")
    if system:
        found.append(system)
    venv = Path(os.environ.get("HUGO_VENV", "/work/venv-hugo"))
    for candidate in venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            found.append(str(candidate))
    return found


def version(binary):
    try:
        return subprocess.run([binary, "version"], capture_output=True, text=True).stdout.strip().split("\n")[0]
    except OSError:
        return "?"


def med(values):
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10000, help="total pages (half German, half English)")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--rss-edits", type=int, default=1000, help="edits before the last memory reading")
    ap.add_argument("--shape", choices=["default", "wide"], default="default",
                    help="site shape (gen_site.py --shape): 10 or 100 sections")
    ap.add_argument("--timings", action="store_true", help="run with DREHBUCH_TIMINGS=1; print stage medians")
    ap.add_argument("--drehbuch-bin", default=str(REPO / os.environ.get("CARGO_TARGET_DIR", "target") / "release" / "drehbuch"))
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--work", default=os.environ.get("BENCH_WORK", str(REPO / "target" / "bench")))
    ap.add_argument("--json")
    args = ap.parse_args()
    work = Path(args.work)
    site = generate(args.pages, work, args.shape)
    log(f"site: {site} ({args.pages} pages, shape {args.shape})")
    report = {"machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                          "kernel": platform.release()}, "pages": args.pages, "shape": args.shape}
    report["drehbuch"] = bench_drehbuch(args.drehbuch_bin, site, args.edits, args.rss_edits, args.timings)
    d = report["drehbuch"]
    print(f"drehbuch serve, {args.pages} pages ({args.shape} shape): startup {d['startup_s']:.1f} s")
    print(f"  save → reload event:   median {med(d['edit_event_ms'])} ms over {args.edits} text edits")
    print(f"  save → new text served: median {med(d['edit_visible_ms'])} ms")
    for name, ms in sorted(d.get("edit_stage_ms", {}).items(), key=lambda kv: -kv[1]):
        print(f"    stage {name}: median {ms:.1f} ms")
    print(f"  title edit → reload event: median {med(d['title_event_ms'])} ms over {args.edits} edits")
    for name, ms in sorted(d.get("title_stage_ms", {}).items(), key=lambda kv: -kv[1]):
        print(f"    stage {name}: median {ms:.1f} ms")
    print(f"  template change (every page) → reload event: {d['template_event_ms']:.0f} ms")
    print(f"  RSS after start and {args.edits} text edits: {d['rss_kib_after_start_and_edits'] / 1024:.0f} MiB; "
          f"after a full re-render and 100 more edits: {(d['rss_kib_after_100_edits'] or 0) / 1024:.0f} MiB; "
          f"after {d['rss_edits']}: {d['rss_kib_after_all_edits'] / 1024:.0f} MiB")
    if not args.no_hugo:
        for hugo in find_hugos():
            name = version(hugo)
            try:
                h = bench_hugo(hugo, site, args.edits)
            except Exception as e:  # report and go on
                print(f"{name}: failed: {e}")
                continue
            report[name] = h
            print(f"{name}, {args.pages} pages: startup {h['startup_s']:.1f} s")
            print(f"  save → new text served: median {med(h['edit_visible_ms'])} ms over {args.edits} edits")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
