"""Lighthouse page measurements for the benchmark: performance score, TBT, LCP, CLS, DOM size, Speed Index and
byte weight of a page, as Lighthouse 12.2.3 (pinned in tests/bench/package.json and its lock) measures them in
Debian's Chromium with its default config: the mobile preset, with simulated throttling (150 ms RTT, 1.6 Mbit/s,
4x CPU slowdown), performance category only.

Nothing leaves the machine: Chromium gets the benchmark's flags and also ``--host-resolver-rules`` that map every
host name but the measured page's to "not found", so its own background calls (signin's ListAccounts on
accounts.google.com, the extension/component update check on update.googleapis.com, network time on
clients2.google.com, which Debian's build makes even with the flags below) fail at once in the browser, without a
DNS query; Lighthouse's error reporting is off. Each run gets a fresh profile in its own temporary directory.

Use::

    from tests.bench import bench_lighthouse as lh
    if not lh.installed(lh.BENCH_DIR):
        lh.install(lh.BENCH_DIR)
    lh.run_once("http://127.0.0.1:8765/onboarding/", chromium="/usr/bin/chromium")
    lh.compare({"tree": url_a, "prose": url_b}, runs=5, chromium="/usr/bin/chromium")
    with lh.CpuHog():
        ...  # the same, under load

or by hand, from the repository root::

    .venv/bin/python tests/bench/bench_lighthouse.py URL_A URL_B [--runs 5] [--load]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run by hand as a script: the repository root, for tests.provision_browser
    sys.path.insert(0, str(ROOT))

from tests.provision_browser import BROWSER_ARGS  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
LIGHTHOUSE_VERSION = "12.2.3"
TIMEOUT_S = 120.0

# The benchmark's Chromium flags: the tests' own (tests/provision_browser.py), in the new headless mode.
CHROME_FLAGS = ("--headless=new", *BROWSER_ARGS)

# Result key -> Lighthouse audit whose numericValue it is ("performance" is the category score, 0-100).
AUDITS = {
    "total-blocking-time": "total-blocking-time",  # ms
    "largest-contentful-paint": "largest-contentful-paint",  # ms
    "cumulative-layout-shift": "cumulative-layout-shift",  # unitless
    "dom-size": "dom-size",  # elements
    "speed-index": "speed-index",  # ms
    "total-byte-weight": "total-byte-weight",  # bytes, as transferred
}
METRICS = ("performance", *AUDITS, "offsite-requests", "run-seconds")


def _lighthouse_cli(bench_dir: Path) -> Path:
    return bench_dir / "node_modules" / "lighthouse" / "cli" / "index.js"


def installed(bench_dir: Path) -> bool:
    """Whether bench_dir/node_modules holds the pinned Lighthouse."""
    manifest = bench_dir / "node_modules" / "lighthouse" / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return False
    return version == LIGHTHOUSE_VERSION and _lighthouse_cli(bench_dir).is_file()


def install(bench_dir: Path) -> None:
    """``npm ci`` of bench_dir/package-lock.json into bench_dir/node_modules (no install scripts)."""
    npm = shutil.which("npm")
    if not npm:
        raise RuntimeError("no npm on PATH for Lighthouse: install Node.js 18+ (Debian: apt-get install -y npm)")
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(bench_dir)]
    print(
        f"Installing Lighthouse {LIGHTHOUSE_VERSION} into {bench_dir / 'node_modules'}/ "
        f"(npm ci of {bench_dir / 'package-lock.json'}, about 15 s)...",
        flush=True,
    )
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed (exit {done.returncode}):\n{_tail(done.stderr)}")


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join((text or "").strip().splitlines()[-lines:])


def chrome_flags(url: str) -> str:
    """The --chrome-flags value: the benchmark's flags, and only the page's own host resolvable."""
    host = urlsplit(url).hostname
    if not host:
        raise ValueError(f"not an absolute URL: {url!r}")
    return " ".join((*CHROME_FLAGS, f'--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE {host}"'))


def command(url: str, output_path: Path, *, bench_dir: Path = BENCH_DIR) -> list[str]:
    """The Lighthouse command line of one run (Chromium comes from $CHROME_PATH)."""
    node = shutil.which("node")
    if not node:
        raise RuntimeError("no node on PATH for Lighthouse: install Node.js 18+ (Debian: apt-get install -y nodejs)")
    return [
        node,
        str(_lighthouse_cli(bench_dir)),
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={output_path}",
        "--quiet",
        "--no-enable-error-reporting",
        f"--chrome-flags={chrome_flags(url)}",
    ]


def _kill_strays(marker: str) -> None:
    """SIGKILL the processes whose command line holds marker (the run's own temporary directory): the Chromium
    that chrome-launcher started detached, when Lighthouse itself had to be killed."""
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            with contextlib.suppress(OSError):
                os.kill(int(entry.name), signal.SIGKILL)


def _offsite(lhr: dict, host: str) -> int:
    """How many of the page's requests went (or tried to go) to another host than its own."""
    items = ((lhr.get("audits", {}).get("network-requests") or {}).get("details") or {}).get("items") or []
    return sum(1 for item in items if urlsplit(item.get("url", "")).hostname not in (None, host))


def read_report(lhr: dict, url: str) -> dict[str, float]:
    """The metrics of one Lighthouse JSON report (an LHR); RuntimeError if the run did not measure the page."""
    if lhr.get("runtimeError"):
        error = lhr["runtimeError"]
        raise RuntimeError(f"Lighthouse could not measure {url}: {error.get('code')}: {error.get('message')}")
    score = (lhr.get("categories", {}).get("performance") or {}).get("score")
    if score is None:
        raise RuntimeError(f"Lighthouse gave no performance score for {url}: {lhr.get('runWarnings')}")
    result = {"performance": float(score) * 100}
    for key, audit_id in AUDITS.items():
        value = (lhr.get("audits", {}).get(audit_id) or {}).get("numericValue")
        if value is None:
            raise RuntimeError(f"Lighthouse's audit {audit_id} has no value for {url}: {lhr.get('runWarnings')}")
        result[key] = float(value)
    result["offsite-requests"] = float(_offsite(lhr, urlsplit(url).hostname or ""))
    return result


def run_once(url: str, *, chromium: str, bench_dir: Path = BENCH_DIR, timeout: float = TIMEOUT_S) -> dict[str, float]:
    """One Lighthouse run of url in a fresh Chromium profile: the keys of METRICS (run-seconds is the wall time
    of the whole run, Node and Chromium start-up included). RuntimeError, with the tail of Lighthouse's stderr,
    if it fails or takes longer than timeout seconds."""
    found = shutil.which(chromium)
    if not found:  # chrome-launcher would quietly fall back to any Chrome it finds
        raise RuntimeError(f"no Chromium at {chromium!r} (Debian: apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-", ignore_cleanup_errors=True) as tmp:
        output = Path(tmp) / "report.json"
        # chrome-launcher makes the profile with mktemp in $TMPDIR: inside tmp, so it is new and goes with it.
        env = {**os.environ, "CHROME_PATH": found, "TMPDIR": tmp}
        started = time.perf_counter()
        proc = subprocess.Popen(
            command(url, output, bench_dir=bench_dir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, stderr = proc.communicate()
            message = f"Lighthouse took over {timeout:.0f} s on {url}; killed. stderr:\n{_tail(stderr)}"
            raise RuntimeError(message) from None
        finally:
            _kill_strays(tmp)
        seconds = time.perf_counter() - started
        if proc.returncode != 0 or not output.is_file():
            raise RuntimeError(f"Lighthouse failed on {url} (exit {proc.returncode}). stderr:\n{_tail(stderr)}")
        try:
            lhr = json.loads(output.read_text(encoding="utf-8"))
        except ValueError as error:
            raise RuntimeError(f"Lighthouse wrote no readable JSON for {url}: {error}\n{_tail(stderr)}") from None
    result = read_report(lhr, url)
    result["run-seconds"] = seconds
    return result


def compare(
    urls: dict[str, str],
    runs: int = 5,
    *,
    chromium: str,
    progress: Callable[[str], object] = print,
    bench_dir: Path = BENCH_DIR,
) -> dict[str, dict[str, float | list[float]]]:
    """runs Lighthouse runs of each labelled URL, alternating between them (A B A B ...) so that both meet the
    same machine noise. Per label: the median of each metric of METRICS, and "scores", the raw performance
    scores in run order."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    raw: dict[str, list[dict[str, float]]] = {label: [] for label in urls}
    for i in range(runs):
        for label, url in urls.items():
            result = run_once(url, chromium=chromium, bench_dir=bench_dir)
            raw[label].append(result)
            progress(
                f"lighthouse {label} {i + 1}/{runs}: score {result['performance']:.0f}, "
                f"TBT {result['total-blocking-time']:.0f} ms, LCP {result['largest-contentful-paint']:.0f} ms "
                f"({result['run-seconds']:.1f} s)"
            )
    summary: dict[str, dict[str, float | list[float]]] = {}
    for label, results in raw.items():
        medians: dict[str, float | list[float]] = {
            key: statistics.median(result[key] for result in results) for key in METRICS
        }
        medians["scores"] = [result["performance"] for result in results]
        summary[label] = medians
    return summary


class CpuHog:
    """A busy-looping Python process per core (os.cpu_count()) while the block runs, for "under load"
    measurements; all are killed on exit, on an exception too."""

    def __init__(self, processes: int | None = None) -> None:
        self.processes = processes or os.cpu_count() or 1
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> CpuHog:
        try:
            for _ in range(self.processes):
                self.procs.append(
                    subprocess.Popen(
                        [sys.executable, "-c", "while True: pass"],
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop()

    def _stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
        for proc in self.procs:
            proc.wait()
        self.procs.clear()


def format_comparison(summary: dict[str, dict[str, float | list[float]]]) -> str:
    """compare()'s result as a plain-text table, a row per metric and a column per label."""
    labels = list(summary)
    units = {"total-blocking-time": " ms", "largest-contentful-paint": " ms", "speed-index": " ms"}
    rows = [["median of", *labels]]
    for key in METRICS:
        cells = []
        for label in labels:
            value = summary[label][key]
            assert isinstance(value, float | int)
            if key == "cumulative-layout-shift":
                cells.append(f"{value:.3f}")
            elif key == "total-byte-weight":
                cells.append(f"{value / 1024:.0f} KiB")
            elif key == "run-seconds":
                cells.append(f"{value:.1f} s")
            else:
                cells.append(f"{value:.0f}{units.get(key, '')}")
        rows.append([key, *cells])
    rows.append(["scores", *(" ".join(f"{s:.0f}" for s in summary[label]["scores"]) for label in labels)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare two pages with Lighthouse (mobile preset, medians).")
    parser.add_argument("url_a")
    parser.add_argument("url_b")
    parser.add_argument("--runs", type=int, default=5, help="runs per page, alternating (default 5)")
    parser.add_argument("--load", action="store_true", help="measure with a busy-looping process per core")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--json", action="store_true", help="print the result as JSON instead of a table")
    args = parser.parse_args(argv)
    if not installed(BENCH_DIR):
        install(BENCH_DIR)
    labels = [urlsplit(args.url_a).path or args.url_a, urlsplit(args.url_b).path or args.url_b]
    if labels[0] == labels[1]:
        labels = ["A", "B"]
    urls = dict(zip(labels, (args.url_a, args.url_b), strict=True))
    progress = (lambda line: print(line, file=sys.stderr, flush=True)) if args.json else print
    if args.load:
        with CpuHog() as hog:
            progress(f"under load: {hog.processes} busy-looping processes")
            summary = compare(urls, args.runs, chromium=args.chromium, progress=progress)
    else:
        summary = compare(urls, args.runs, chromium=args.chromium, progress=progress)
    print(json.dumps(summary, indent=2) if args.json else format_comparison(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
