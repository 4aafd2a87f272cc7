"""``make bench``: how fast and how heavy the site and the checker are, against goals, in one table.

Measures (medians of alternating runs, since the machine is noisy), each against its goal:

- goal 1, the tree page on a phone: Lighthouse 12.2.3 (mobile preset; tests/bench/package.json) on the biggest
  tree page and a prose page, alternating, quiet and beside a CPU hog; HTML gzipped; DOM with the walker running;
- goal 2, code per page: the project's own scripts and styles a prose page and a walker page load; the walker
  data as files of their own;
- goal 3, a 3,000-node playbook against a 50-node one in one site: answer -> next frame, rendering, page load;
- goal 4, build: ``mkdocs build --strict`` of the real site vs a bare Material site with as many pages and as
  much text, and the time 500 and 5,000 added nodes add;
- goal 5, the author's loop: ``mkdocs serve``, saving a playbook vs a Markdown page of the bare site;
- goal 6, check: ``python -m macros check`` on valid synthetic trees of 100, 1,000 and 10,000 nodes, first runs
  (``--no-cache``) and unchanged files (the cache), and ``load_project`` in this process;
- goal 7, memory: peak memory of ``paths`` on DAGs of 2^20 and 2^60 paths;
- and: counting 2^60 paths, every byte Chromium fetches for the tree page vs the bare site's, and step latency
  on the real trees and a 1,000-node one;
- the draft checker: a 2,000-word draft checked with the project's rules in Python and in Chromium (drafts.js),
  side by side, the first check in a fresh page, and precision and recall on the corpus of drafts.

Prints the table and writes it as Markdown to ``tests/bench/last-results.md``. Run from the repository root:
``.venv/bin/python tests/bench/bench_main.py`` (or ``make bench``). ``--only drafts`` runs the draft checker's
part alone and prints its rows without writing the results file (which holds whole runs only).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
import gzip
import html
import itertools
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for entry in (str(ROOT), str(HERE)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import bench_browser  # noqa: E402
import bench_drafts  # noqa: E402
import bench_lighthouse  # noqa: E402
import bench_serve as bench_serve_loop  # noqa: E402
import bench_synth  # noqa: E402

from macros.engine.graph import count_paths  # noqa: E402
from macros.engine.loader import load_project  # noqa: E402

RESULTS = HERE / "last-results.md"
BUILD_RUNS = 5  # per site, alternating real / bare
CHECK_RUNS = 7  # per size, sizes interleaved
CHECK_SIZES = (100, 1_000, 10_000)
PATH_LAYERS = 59  # start + 59 layers of two questions, each with two answers: 2^60 walks
REAL_STEPS = 200  # clicks over all real trees, per round
STEP_ROUNDS = 3  # rounds of step-latency walks (real trees, then the synthetic tree, alternating)
SYNTH_NODES = 1_000
PER_FILE = 500  # nodes per synthetic playbook file; larger trees are chains of files linked by answers
TREE_PAGE = "playbooks/running-comms/"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
ENV.pop("PYTHONPATH", None)

# Goals
BUILD_RATIO_GOAL = 1.25
CHECK_10K_GOAL_S = 1.0
SCALING_GOAL = 12.0
CHECK_CACHED_GOAL_S = 0.4
STEP_P95_GOAL_MS = 16.0


# ------------------------------------------------------------------------------------------- the table


@dataclass
class Row:
    what: str
    n: str = ""
    median: str = ""
    p95: str = ""
    goal: str = ""  # ratio and/or goal
    result: str = ""  # pass | MISS | info


ROWS: list[Row] = []
NOTES: list[str] = []


def verdict(ok: bool) -> str:
    return "pass" if ok else "MISS"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def seconds(value: float) -> str:
    return f"{value:.3f} s"


def millis(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


def size(value: int) -> str:
    return f"{value:,} B"


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def table_text() -> str:
    header = Row("measurement", "n", "median", "p95", "ratio / goal", "result")
    rows = [header, *ROWS]
    fields = ("what", "n", "median", "p95", "goal", "result")
    widths = {f: max(len(getattr(r, f)) for r in rows) for f in fields}
    right = {"n", "median", "p95"}

    def line(row: Row) -> str:
        cells = [getattr(row, f).rjust(widths[f]) if f in right else getattr(row, f).ljust(widths[f]) for f in fields]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * widths[f] for f in fields)
    return "\n".join([line(header), rule, *map(line, ROWS)])


def table_markdown() -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    def bold(result: str) -> str:
        return "**MISS**" if result == "MISS" else result

    lines = ["| measurement | n | median | p95 | ratio / goal | result |", "| --- | ---: | ---: | ---: | --- | --- |"]
    lines += [f"| {cell(r.what)} | {r.n} | {r.median} | {r.p95} | {cell(r.goal)} | {bold(r.result)} |" for r in ROWS]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- the machine


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for text_line in Path("/proc/cpuinfo").read_text().splitlines():
            if text_line.startswith("model name"):
                cpu = text_line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        chromium = subprocess.run(
            [bench_browser._chromium(), "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.strip()
    except OSError:
        chromium = "not found"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"cpu: {cpu}, {os.cpu_count()} cores, load average at start {load}",
        f"python: {platform.python_version()} ({sys.executable})",
        f"chromium: {chromium or 'unknown'}",
    ]


# ------------------------------------------------------------------------------------------- helpers


def timed_run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall time of a finished command (which must succeed) and its output."""
    start = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=cwd,
        env=env or ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-3000:]}")
    return elapsed, done.stdout


def timed_call(function: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def mkdocs_build(project: Path, site_dir: Path, site_url: str) -> float:
    env = {**ENV, "SITE_URL": site_url}
    elapsed, _ = timed_run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)], project, env)
    return elapsed


# ------------------------------------------------------------------------------------------- 1. build

WORDS_TEXT = """incident status customers message update impact team support engineers page service outage plan review
channel notice timeline owner draft approve send restore monitor resolve affected region product users data delay
cause fix next steps summary because while after before during"""
WORDS = tuple(WORDS_TEXT.split())
ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.DOTALL)


def page_text_sizes(site_dir: Path) -> dict[str, int]:
    """Page folder ('' for the home page) → characters of visible text in its article."""
    found = {}
    for index in sorted(site_dir.rglob("index.html")):
        page = index.read_text(encoding="utf-8")
        match = ARTICLE.search(page)
        body = match.group(1) if match else page
        body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
        found[index.parent.relative_to(site_dir).as_posix().replace(".", "")] = len(text)
    return found


def bare_project(dest: Path, text_sizes: dict[str, int]) -> Path:
    """A plain Material project with one Markdown page per real page, at the same address, as much text."""
    rng = random.Random(7)
    dest.mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(
        "site_name: Bare Material\nuse_directory_urls: true\nstrict: true\n"
        "theme:\n  name: material\n  font: false\nplugins:\n  - search\n",
        encoding="utf-8",
    )
    for number, (folder, chars) in enumerate(sorted(text_sizes.items())):
        source = dest / "docs" / folder / "index.md"
        source.parent.mkdir(parents=True, exist_ok=True)
        parts = [f"# Page {number}: {folder or 'home'}\n"]
        written = 0
        paragraph = 0
        while written < chars:
            if paragraph % 5 == 4:
                parts.append(f"## Section {paragraph // 5 + 1}\n")
            words = " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "."
            parts.append(words + "\n")
            written += len(words) + 1
            paragraph += 1
        source.write_text("\n".join(parts), encoding="utf-8")
    return dest


def bench_build(work: Path, server: bench_browser.Server, www: Path) -> None:
    progress("build: warm-up build of the real site")
    real_out, bare_out = www / "real", www / "bare"
    real_url, bare_url = server.url + "real/", server.url + "bare/"
    mkdocs_build(ROOT, real_out, real_url)
    sizes = page_text_sizes(real_out)
    bare = bare_project(work / "bare-src", sizes)
    mkdocs_build(bare, bare_out, bare_url)
    bare_pages = len(list(bare_out.rglob("index.html")))
    if bare_pages != len(sizes):
        raise RuntimeError(f"bare site has {bare_pages} pages, the real one {len(sizes)}")
    real_times, bare_times = [], []
    for run in range(BUILD_RUNS):
        progress(f"build: run {run + 1}/{BUILD_RUNS} (real and bare, alternating which goes first)")
        pair = [(ROOT, real_out, real_url, real_times), (bare, bare_out, bare_url, bare_times)]
        for project, out, url, times in pair if run % 2 == 0 else pair[::-1]:
            times.append(mkdocs_build(project, out, url))
    real, bare_median = statistics.median(real_times), statistics.median(bare_times)
    ratio = real / bare_median
    pages = len(sizes)
    ROWS.append(Row(f"build --strict: real site ({pages} pages)", str(BUILD_RUNS), seconds(real)))
    ROWS.append(Row(f"build --strict: bare Material ({pages} pages, same text)", str(BUILD_RUNS), seconds(bare_median)))
    ROWS.append(
        Row(
            "goal 4: build, real / bare",
            goal=f"{ratio:.2f}x (goal <= {BUILD_RATIO_GOAL}x)",
            result=verdict(ratio <= BUILD_RATIO_GOAL),
        )
    )
    NOTES.append(
        f"build runs (s): real {', '.join(f'{t:.2f}' for t in real_times)}; "
        f"bare {', '.join(f'{t:.2f}' for t in bare_times)}; "
        f"page text: {sum(sizes.values()):,} characters over {pages} pages"
    )


# ------------------------------------------------------------------------------------------- 2. check, 3. paths


def bench_check(work: Path, today: datetime.date) -> None:
    folders = {}
    for nodes in CHECK_SIZES:
        playbooks = bench_synth.chained_playbooks(f"synth-{nodes}", nodes, today=today, per_file=PER_FILE)
        assert sum(len(pb.tree.nodes) for pb in playbooks) == nodes
        folder = work / f"check-{nodes}"
        written = bench_synth.write_project(folder, playbooks)
        folders[nodes] = folder
        NOTES.append(f"check {nodes:,} nodes: {len(playbooks)} chained file(s), {written:,} bytes of YAML")
    python = sys.executable

    def command(nodes: int) -> list[str]:
        folder = folders[nodes]
        # every run checks afresh: a first check, not one answered from .cache/check/
        return [python, "-m", "macros", "check", str(folder), "--org", str(folder / "organisation.yaml"), "--no-cache"]

    startup: list[float] = []
    cached: list[float] = []
    wall: dict[int, list[float]] = {n: [] for n in CHECK_SIZES}
    inproc: dict[int, list[float]] = {n: [] for n in CHECK_SIZES}
    cache_env = {**ENV, "ICP_CHECK_CACHE_DIR": str(work / "check-cache")}
    _, fresh_output = timed_run(command(10_000), ROOT)
    _, cached_output = timed_run([c for c in command(10_000) if c != "--no-cache"], ROOT, cache_env)
    _, cached_again = timed_run([c for c in command(10_000) if c != "--no-cache"], ROOT, cache_env)
    if not fresh_output == cached_output == cached_again:
        raise RuntimeError("a cached check printed something else than a fresh one")
    for nodes in CHECK_SIZES:  # warm-up: file cache, .pyc files
        _, output = timed_run(command(nodes), ROOT)
        if not output.startswith("ok:") or f"{nodes} nodes" not in output:
            raise RuntimeError(f"check of {nodes} nodes did not pass: {output[:500]}")
    for run in range(CHECK_RUNS):
        progress(f"check: run {run + 1}/{CHECK_RUNS}")
        order = CHECK_SIZES if run % 2 == 0 else CHECK_SIZES[::-1]
        startup.append(timed_run([python, "-c", "import macros.cli.main"], ROOT)[0])
        # unchanged files: the result comes from the cache (the first run, the warm-up, filled it)
        cached.append(timed_run([c for c in command(10_000) if c != "--no-cache"], ROOT, cache_env)[0])
        for nodes in order:
            wall[nodes].append(timed_run(command(nodes), ROOT)[0])
        for nodes in order:
            folder = folders[nodes]
            project = None  # the last run's project would double the heap the garbage collector walks
            gc.collect()
            elapsed, project = timed_call(
                lambda folder=folder: load_project([folder], org_file=folder / "organisation.yaml", today=today)
            )
            if not project.ok:  # type: ignore[attr-defined]
                raise RuntimeError(f"synthetic playbook of {nodes} nodes is invalid")
            inproc[nodes].append(elapsed)
    ROWS.append(Row("python start-up + import macros.cli.main", str(CHECK_RUNS), seconds(statistics.median(startup))))
    ROWS.append(
        Row(
            "check 10,000 nodes, files unchanged (cached; same output)",
            str(CHECK_RUNS),
            seconds(statistics.median(cached)),
            goal=f"goal 6: <= {CHECK_CACHED_GOAL_S} s",
            result=verdict(statistics.median(cached) <= CHECK_CACHED_GOAL_S),
        )
    )
    for nodes in CHECK_SIZES:
        median = statistics.median(wall[nodes])
        goal, result = ("", "")
        if nodes == 10_000:
            goal, result = f"goal 6: <= {CHECK_10K_GOAL_S:.0f} s, first run", verdict(median <= CHECK_10K_GOAL_S)
        ROWS.append(
            Row(
                f"check {nodes:,} nodes (python -m macros check, wall)",
                str(CHECK_RUNS),
                seconds(median),
                goal=goal,
                result=result,
            )
        )
    for nodes in CHECK_SIZES:
        ROWS.append(
            Row(
                f"check {nodes:,} nodes: load_project in process",
                str(CHECK_RUNS),
                millis(statistics.median(inproc[nodes]) * 1000),
            )
        )
    for label, data in (("wall", wall), ("load_project", inproc)):
        for small, big in itertools.pairwise(CHECK_SIZES):
            ratio = statistics.median(data[big]) / statistics.median(data[small])
            ROWS.append(
                Row(
                    f"check scaling {big // 1000}k/{small if small < 1000 else str(small // 1000) + 'k'} ({label})",
                    goal=f"{ratio:.1f}x for 10x nodes (goal <= {SCALING_GOAL:.0f}x)",
                    result=verdict(ratio <= SCALING_GOAL),
                )
            )


def bench_paths(work: Path, today: datetime.date) -> None:
    playbook = bench_synth.layered_playbook("diamonds", PATH_LAYERS, skip=False, today=today)
    folder = work / "paths"
    bench_synth.write_project(folder, [playbook])
    expected = 2 ** (PATH_LAYERS + 1)
    project = load_project([folder], org_file=folder / "organisation.yaml", today=today)
    if not project.ok:
        raise RuntimeError("the 2^60 playbook is invalid: " + "; ".join(map(str, project.diagnostics[:5])))
    graph = project.graph
    runs = []
    counted = 0
    for _ in range(21):
        elapsed, counted = timed_call(lambda: count_paths(graph, graph.starts["diamonds"]))
        runs.append(elapsed)
    via_project = project.path_count("diamonds")
    command = [
        sys.executable,
        "-m",
        "macros",
        "paths",
        "diamonds",
        "--count",
        "--dir",
        str(folder),
        "--org",
        str(folder / "organisation.yaml"),
    ]
    walls, printed = [], ""
    for _ in range(CHECK_RUNS):
        elapsed, printed = timed_run(command, ROOT)
        walls.append(elapsed)
    nodes = len(playbook.tree.nodes)
    ok = counted == via_project == int(printed.strip()) == expected
    ROWS.append(
        Row(
            f"paths: Project.path_count, {nodes}-node DAG",
            str(len(runs)),
            millis(statistics.median(runs) * 1000),
            millis(p95(runs) * 1000),
            f"count {counted:,} (= 2^{PATH_LAYERS + 1}: {counted == expected})",
            verdict(ok),
        )
    )
    ROWS.append(
        Row(
            "paths: python -m macros paths ID --count (wall)",
            str(CHECK_RUNS),
            seconds(statistics.median(walls)),
            goal=f"printed {printed.strip()}",
            result=verdict(ok),
        )
    )


# ------------------------------------------------------------------------------------------- 4. page weight


def bench_weight(browser, server: bench_browser.Server, www: Path) -> None:
    progress("page weight: loading the tree page of both sites")
    real = bench_browser.page_transfer(browser, server, server.url + "real/" + TREE_PAGE)
    bare = bench_browser.page_transfer(browser, server, server.url + "bare/" + TREE_PAGE)
    ROWS.append(
        Row(
            f"page transfer: /{TREE_PAGE} real vs bare, raw",
            str(len(real.files)),
            size(real.raw),
            goal=f"{real.raw / bare.raw:.2f}x bare ({size(bare.raw)}, {len(bare.files)} files)",
            result="info",
        )
    )
    ROWS.append(
        Row(
            f"page transfer: /{TREE_PAGE} real vs bare, gzip-equiv.",
            str(len(real.files)),
            size(real.gzipped),
            goal=f"{real.gzipped / bare.gzipped:.2f}x bare ({size(bare.gzipped)})",
            result="info",
        )
    )
    biggest = sorted(real.files, key=lambda f: -f[1])[:6]
    NOTES.append(
        "tree page, largest responses (raw / gzip-equiv.): "
        + "; ".join(f"{path.removeprefix('/real/')} {raw:,} / {gz:,}" for path, raw, gz in biggest)
    )
    extra = sorted(
        {p.removeprefix("/real/") for p, _, _ in real.files} - {p.removeprefix("/bare/") for p, _, _ in bare.files}
    )
    NOTES.append("fetched by the real page only: " + ", ".join(extra))
    if real.responses != len(real.files):
        NOTES.append(f"Chromium saw {real.responses} responses, the server sent {len(real.files)} files")


# ------------------------------------------------------------------------------------------- 5. step latency


def synthetic_site(work: Path, server: bench_browser.Server, www: Path, today: datetime.date) -> tuple[str, str]:
    """A copy of the project with a 1,000-node tree (chained playbooks) added, built into ``www/synth``; the URL
    of the page whose walk covers all of it."""
    playbooks = bench_synth.chained_playbooks("synth-walk", SYNTH_NODES, today=today, per_file=PER_FILE)
    root = work / "synth-src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    root.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", root / "docs", ignore=ignore)
    shutil.copytree(ROOT / "macros", root / "macros", ignore=ignore)
    bench_synth.write_project(root / "playbooks", playbooks)
    note = f"organisation.yaml + {len(playbooks)} chained synthetic playbooks only"
    try:
        elapsed = mkdocs_build(root, www / "synth", server.url + "synth/")
    except RuntimeError as only_synthetic:  # the hand-written pages may name real playbooks, templates or roles
        found = [m for m in re.finditer(r"_(\w+)_: ([^\n]+)", str(only_synthetic)) if m.group(1) != "File"]
        first_line = f"{found[0].group(1)}: {found[0].group(2)}" if found else str(only_synthetic).splitlines()[0]
        shutil.copytree(ROOT / "playbooks", root / "playbooks", ignore=ignore, dirs_exist_ok=True)
        elapsed = mkdocs_build(root, www / "synth", server.url + "synth/")
        note = f"real playbooks kept (with organisation.yaml only the build failed: {first_line})"
    first = playbooks[0].id
    page = www / "synth" / "playbooks" / first / "index.html"
    NOTES.append(
        f"synthetic {SYNTH_NODES:,}-node site: {note}; built in {elapsed:.1f} s; "
        f"tree page {page.stat().st_size:,} bytes of HTML"
    )
    return f"{server.url}synth/playbooks/{first}/", note


def latency_rows(label: str, rounds: list[bench_browser.Latency]) -> None:
    """p50 and p95 of each round, and the median of those over the rounds."""
    for what, name in (
        ("click -> DOM rendered (sync)", "sync"),
        ("click -> next frame done", "frame"),
        ("next frame, minus idle wait for vsync", "work"),
    ):
        per_round = [getattr(data, name) for data in rounds]
        mid = statistics.median(statistics.median(values) for values in per_round)
        worst = statistics.median(p95(values) for values in per_round)
        ROWS.append(
            Row(
                f"step, {label}: {what}",
                f"{len(rounds)}x{statistics.median(len(values) for values in per_round):.0f}",
                millis(mid),
                millis(worst),
                f"goal p95 <= {STEP_P95_GOAL_MS:.0f} ms",
                verdict(worst <= STEP_P95_GOAL_MS),
            )
        )


def by_depth(rounds: list[bench_browser.Latency], label: str) -> str:
    """Medians near the start and near the end of the deep walks (pooled over the rounds)."""
    pooled: dict[str, list[list[float]]] = {"sync": [[], []], "frame": [[], []]}
    for data in rounds:
        for name, (shallow, deep) in pooled.items():
            for value, depth in zip(getattr(data, name), data.depth, strict=True):
                if depth <= 50:
                    shallow.append(value)
                elif depth > data.max_depth - 50:
                    deep.append(value)
    (sync_shallow, sync_deep), (frame_shallow, frame_deep) = pooled["sync"], pooled["frame"]
    return (
        f"{label}: medians at steps 1-50 / the last 50 steps: click -> DOM {millis(statistics.median(sync_shallow))} / "
        f"{millis(statistics.median(sync_deep))}, next frame done {millis(statistics.median(frame_shallow))} / "
        f"{millis(statistics.median(frame_deep))}"
    )


def bench_steps(browser, work: Path, server: bench_browser.Server, www: Path, today: datetime.date) -> None:
    ids = list(load_project().playbooks)
    per_page = math.ceil(REAL_STEPS / len(ids))
    progress(f"steps: building a copy with a {SYNTH_NODES:,}-node tree")
    synth_url, _ = synthetic_site(work, server, www, today)
    real_rounds: list[bench_browser.Latency] = []
    synth_rounds: list[bench_browser.Latency] = []

    def walk_real(round_no: int) -> None:
        progress(f"steps, round {round_no + 1}/{STEP_ROUNDS}: {per_page} clicks on each of {len(ids)} real trees")
        real = bench_browser.Latency()
        for number, playbook_id in enumerate(ids):
            url = f"{server.url}real/playbooks/{playbook_id}/"
            real.add(bench_browser.walk_latency(browser, url, steps=per_page, seed=100 * round_no + number + 1))
        real_rounds.append(real)

    def walk_synth(round_no: int) -> None:
        progress(f"steps, round {round_no + 1}/{STEP_ROUNDS}: the {SYNTH_NODES:,}-node tree, its deepest walk")
        synth = bench_browser.Latency()
        synth.add(
            bench_browser.walk_latency(
                browser,
                synth_url,
                steps=2 * SYNTH_NODES,
                seed=42 + round_no,
                until_outcomes=1,
                # always 'left': the deepest walk, through both playbooks ('right' and 'skip' can end it early)
                avoid=("right", "skip"),
            )
        )
        synth_rounds.append(synth)

    for round_no in range(STEP_ROUNDS):
        for walk in (walk_real, walk_synth) if round_no % 2 == 0 else (walk_synth, walk_real):
            walk(round_no)
    depth = statistics.median(data.max_depth for data in synth_rounds)
    latency_rows(f"real trees ({len(ids)} pages)", real_rounds)
    latency_rows(f"{SYNTH_NODES:,}-node tree, walks ~{depth:.0f} steps deep", synth_rounds)
    for label, rounds in (("real tree pages", real_rounds), (f"{SYNTH_NODES:,}-node tree page", synth_rounds)):
        ready = [value for data in rounds for value in data.ready]
        ROWS.append(
            Row(
                f"walker ready (navigation start -> first answer), {label}",
                str(len(ready)),
                millis(statistics.median(ready)),
                goal="no goal",
                result="info",
            )
        )
    for label, rounds in (("real trees", real_rounds), (f"{SYNTH_NODES:,}-node tree", synth_rounds)):
        warnings = [text for data in rounds for text in data.warnings]
        NOTES.append(
            f"{label}, per round: clicks {', '.join(str(len(d.sync)) for d in rounds)}; outcomes reached "
            f"{', '.join(str(d.outcomes) for d in rounds)}; "
            f"deepest walk {', '.join(str(d.max_depth) for d in rounds)}; "
            f"p95 click -> DOM {', '.join(millis(p95(d.sync)) for d in rounds)}; "
            f"{sum(d.failures for d in rounds)} clicks without a new step, {len(warnings)} console warnings/errors"
            + (f" (first: {warnings[0][:120]})" if warnings else "")
        )
    NOTES.append(by_depth(synth_rounds, f"{SYNTH_NODES:,}-node tree"))


# ------------------------------------------------------------------------------------------- goal 1, 2: pages

PROSE_PAGE = "onboarding/"  # the prose page the tree page is compared with (text, one generated table)
LH_RUNS = 5
SCORE_GAP_GOAL = 3
TBT_GAP_GOAL_MS = 30.0
HTML_RATIO_GOAL = 2.0
DOM_RATIO_GOAL = 1.5
PROSE_CODE_GOAL = 2_000
WALKER_CODE_GOAL = 10_000
LOADED = re.compile(
    r'<(?:script src|link rel="stylesheet" href)="(?:\.\./|/)*(assets/icp/(?:styles/)?[a-z-]+\.(?:js|css))"'
)
WALK_FILE = re.compile(r'<script src="(?:\.\./|/)*(assets/icp/walks/[a-z0-9-]+\.js)\?v=[0-9a-f]+"')


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


def own_code(site: Path, page: Path) -> int:
    """Gzipped bytes of the project's own scripts and styles that ``page`` loads."""
    html_text = page.read_text(encoding="utf-8")
    return sum(gz((site / asset).read_bytes()) for asset in set(LOADED.findall(html_text)))


def biggest_tree_page(site: Path) -> str:
    pages = [p for p in (site / "playbooks").glob("*/index.html")]
    return max(pages, key=lambda p: p.stat().st_size).parent.relative_to(site).as_posix() + "/"


def dom_elements(browser, url: str) -> int:
    """Elements in the page once it has settled (with the walker running, on a tree page)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        context.route("**/*", bench_browser._local_only)
        page = context.new_page()
        page.goto(url, wait_until="load")
        if page.locator(".icp-tree").count():
            page.wait_for_selector(".icp-tree--live")
        page.wait_for_timeout(300)
        return page.evaluate("document.getElementsByTagName('*').length")
    finally:
        context.close()


def bench_pages(browser, server: bench_browser.Server, www: Path) -> None:
    site = www / "real"
    tree = biggest_tree_page(site)
    tree_html, prose_html = (site / tree / "index.html").read_bytes(), (site / PROSE_PAGE / "index.html").read_bytes()
    # goal 2: own code per page
    pages = {p.parent.relative_to(site).as_posix(): p for p in site.rglob("index.html")}
    prose = {
        name: p
        for name, p in pages.items()
        if b"data-icp-style=" not in p.read_bytes() and b"data-icp-script=" not in p.read_bytes()
    }
    prose_code = {name: own_code(site, p) for name, p in prose.items()}
    worst = max(prose_code, key=prose_code.get)
    ROWS.append(
        Row(
            f"goal 2: own code on a prose page (worst of {len(prose)}: /{worst}/)",
            median=size(prose_code[worst]),
            goal=f"goal <= {PROSE_CODE_GOAL:,} B",
            result=verdict(prose_code[worst] <= PROSE_CODE_GOAL),
        )
    )
    onboarding = own_code(site, site / PROSE_PAGE / "index.html")
    ROWS.append(
        Row(
            f"own code on /{PROSE_PAGE} (prose and one generated table)",
            median=size(onboarding),
            goal="no goal",
            result="info",
        )
    )
    tree_pages = {name: p for name, p in pages.items() if b'data-icp-script="common walker"' in p.read_bytes()}
    tree_code = {name: own_code(site, p) for name, p in tree_pages.items()}
    worst_tree = max(tree_code, key=tree_code.get)
    ROWS.append(
        Row(
            f"goal 2: own code on a walker page (worst of {len(tree_pages)}: /{worst_tree}/)",
            median=size(tree_code[worst_tree]),
            goal=f"goal <= {WALKER_CODE_GOAL:,} B",
            result=verdict(tree_code[worst_tree] <= WALKER_CODE_GOAL),
        )
    )
    files = WALK_FILE.findall(tree_html.decode("utf-8"))
    embedded = b"icpWalks" in tree_html or b"&quot;nodes&quot;" in tree_html
    data = sum(gz((site / f).read_bytes()) for f in files)
    ROWS.append(
        Row(
            f"goal 2: walker data of /{tree}: files, cached per playbook",
            str(len(files)),
            size(data),
            goal=f"gzipped; embedded in the page: {'yes' if embedded else 'no'}",
            result=verdict(not embedded),
        )
    )
    # goal 1: the tree page against the prose page
    ratio = gz(tree_html) / gz(prose_html)
    ROWS.append(
        Row(
            f"goal 1: HTML gzipped, /{tree} vs /{PROSE_PAGE}",
            median=size(gz(tree_html)),
            goal=f"{ratio:.2f}x ({size(gz(prose_html))}; goal <= {HTML_RATIO_GOAL}x)",
            result=verdict(ratio <= HTML_RATIO_GOAL),
        )
    )
    tree_dom, prose_dom = (
        dom_elements(browser, server.url + "real/" + tree),
        dom_elements(browser, server.url + "real/" + PROSE_PAGE),
    )
    dom_ratio = tree_dom / prose_dom
    ROWS.append(
        Row(
            f"goal 1: DOM elements, walker running, /{tree} vs /{PROSE_PAGE}",
            median=f"{tree_dom:,}",
            goal=f"{dom_ratio:.2f}x ({prose_dom:,}; goal <= {DOM_RATIO_GOAL}x)",
            result=verdict(dom_ratio <= DOM_RATIO_GOAL),
        )
    )
    chromium = bench_browser._chromium()
    if not bench_lighthouse.installed(bench_lighthouse.BENCH_DIR):
        bench_lighthouse.install(bench_lighthouse.BENCH_DIR)
    urls = {"tree": server.url + "real/" + tree, "prose": server.url + "real/" + PROSE_PAGE}
    for label, hog in (("", contextlib.nullcontext()), (" under load", bench_lighthouse.CpuHog())):
        progress(f"lighthouse{label}: {LH_RUNS} runs each of /{tree} and /{PROSE_PAGE}, alternating")
        with hog:
            got = bench_lighthouse.compare(urls, LH_RUNS, chromium=chromium, progress=progress)
        t, p = got["tree"], got["prose"]
        gap, tbt_gap = p["performance"] - t["performance"], t["total-blocking-time"] - p["total-blocking-time"]
        quiet = not label
        rows = (
            (
                f"Lighthouse mobile score{label}, /{tree} vs /{PROSE_PAGE}",
                f"{t['performance']:.0f} vs {p['performance']:.0f}",
                f"{gap:+.0f} points",
                f" (goal within {SCORE_GAP_GOAL})",
                gap <= SCORE_GAP_GOAL,
            ),
            (
                f"total blocking time{label}, tree vs prose",
                f"{t['total-blocking-time']:.0f} vs {p['total-blocking-time']:.0f} ms",
                f"{tbt_gap:+.0f} ms",
                f" (goal within {TBT_GAP_GOAL_MS:.0f} ms)",
                tbt_gap <= TBT_GAP_GOAL_MS,
            ),
            (
                f"cumulative layout shift{label}, tree page",
                f"{t['cumulative-layout-shift']:.3f}",
                "",
                "goal 0",
                t["cumulative-layout-shift"] == 0,
            ),
        )
        for what, shown, figure, goal, ok in rows:  # goals on the quiet machine; under load, for the record
            ROWS.append(
                Row(
                    f"goal 1: {what}",
                    str(LH_RUNS),
                    shown,
                    goal=figure + (goal if quiet else ""),
                    result=verdict(ok) if quiet else "info",
                )
            )
        NOTES.append(
            f"Lighthouse{label}: scores tree {t['scores']}, prose {p['scores']}; LCP "
            f"{t['largest-contentful-paint']:.0f} vs {p['largest-contentful-paint']:.0f} ms; DOM (Lighthouse) "
            f"{t['dom-size']:.0f} vs {p['dom-size']:.0f}; bytes {t['total-byte-weight']:,.0f} vs "
            f"{p['total-byte-weight']:,.0f}"
        )


# ------------------------------------------------------------------------------------------- goal 3: big playbook

BIG_NODES, SMALL_NODES = 3_000, 50
BIG_ROUNDS = 3
BIG_CLICKS = 150
FRAME_RATIO_GOAL = 1.25
LOAD_RATIO_GOAL = 2.0


def project_copy(work: Path, name: str, playbooks: list) -> Path:
    """A copy of the project (real playbooks kept) with ``playbooks`` added."""
    root = work / name
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    root.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("docs", "macros", "playbooks"):
        shutil.copytree(ROOT / folder, root / folder, ignore=ignore)
    for playbook in playbooks:
        (root / "playbooks" / f"{playbook.id}.yaml").write_text(bench_synth.to_yaml(playbook), encoding="utf-8")
    return root


def page_load_ms(browser, url: str) -> float:
    """Navigation start to the walker's first answer on screen, in a fresh context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.route("**/*", bench_browser._local_only)
        context.add_init_script(bench_browser.READY_JS)
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_selector(".icp-walk button.icp-choice")
        return page.evaluate("window.__icpReady")
    finally:
        context.close()


def bench_big(browser, work: Path, server: bench_browser.Server, www: Path, today: datetime.date) -> None:
    big = bench_synth.chained_playbooks("big", BIG_NODES, today=today, per_file=BIG_NODES)
    small = bench_synth.chained_playbooks("small", SMALL_NODES, today=today, per_file=SMALL_NODES)
    root = project_copy(work, "big-src", big + small)
    progress(f"big playbook: building a copy with a {BIG_NODES:,}-node and a {SMALL_NODES}-node playbook")
    built = mkdocs_build(root, www / "big", server.url + "big/")
    urls = {n: f"{server.url}big/playbooks/{pb[0].id}/" for n, pb in ((BIG_NODES, big), (SMALL_NODES, small))}
    for nodes, pbs in ((BIG_NODES, big), (SMALL_NODES, small)):
        page = www / "big" / "playbooks" / pbs[0].id
        NOTES.append(
            f"{nodes:,}-node playbook: page {(page / 'index.html').stat().st_size:,} B of HTML, its page "
            f"of steps {(page / 'steps' / 'index.html').stat().st_size:,} B, walker file "
            f"{(www / 'big' / 'assets/icp/walks' / (pbs[0].id + '.js')).stat().st_size:,} B"
        )
    NOTES.append(f"site with both built in {built:.1f} s")
    lat: dict[int, list[bench_browser.Latency]] = {BIG_NODES: [], SMALL_NODES: []}
    loads: dict[int, list[float]] = {BIG_NODES: [], SMALL_NODES: []}
    for round_no in range(BIG_ROUNDS):
        order = (BIG_NODES, SMALL_NODES) if round_no % 2 == 0 else (SMALL_NODES, BIG_NODES)
        for nodes in order:
            progress(f"big playbook, round {round_no + 1}/{BIG_ROUNDS}: {nodes:,} nodes, load and {BIG_CLICKS} clicks")
            for _ in range(3):
                loads[nodes].append(page_load_ms(browser, urls[nodes]))
            data = bench_browser.Latency()
            data.add(
                bench_browser.walk_latency(
                    browser, urls[nodes], steps=BIG_CLICKS, seed=7 + round_no, avoid=("right", "skip")
                )
            )
            lat[nodes].append(data)

    def p95_of(nodes: int, name: str) -> float:
        return statistics.median(p95(getattr(d, name)) for d in lat[nodes])

    frame_big, frame_small = p95_of(BIG_NODES, "frame"), p95_of(SMALL_NODES, "frame")
    ROWS.append(
        Row(
            f"goal 3: answer -> next frame, {BIG_NODES:,} vs {SMALL_NODES} nodes, p95",
            f"{BIG_ROUNDS}x{BIG_CLICKS}",
            millis(statistics.median(statistics.median(d.frame) for d in lat[BIG_NODES])),
            millis(frame_big),
            f"{frame_big / frame_small:.2f}x ({millis(frame_small)}; goal <= {FRAME_RATIO_GOAL}x)",
            verdict(frame_big / frame_small <= FRAME_RATIO_GOAL),
        )
    )
    sync_big = p95_of(BIG_NODES, "sync")
    ROWS.append(
        Row(
            f"goal 3: rendering alone (click -> DOM rendered), {BIG_NODES:,} nodes",
            f"{BIG_ROUNDS}x{BIG_CLICKS}",
            millis(statistics.median(statistics.median(d.sync) for d in lat[BIG_NODES])),
            millis(sync_big),
            f"goal p95 <= {STEP_P95_GOAL_MS:.0f} ms",
            verdict(sync_big <= STEP_P95_GOAL_MS),
        )
    )
    load_big, load_small = statistics.median(loads[BIG_NODES]), statistics.median(loads[SMALL_NODES])
    ROWS.append(
        Row(
            f"goal 3: page load (to the first answer), {BIG_NODES:,} vs {SMALL_NODES} nodes",
            str(len(loads[BIG_NODES])),
            millis(load_big),
            goal=f"{load_big / load_small:.2f}x ({millis(load_small)}; goal <= {LOAD_RATIO_GOAL}x)",
            result=verdict(load_big / load_small <= LOAD_RATIO_GOAL),
        )
    )
    failures = sum(d.failures for v in lat.values() for d in v)
    NOTES.append(
        f"big playbook walks: {failures} clicks without a new step; deepest walk "
        f"{max(d.max_depth for d in lat[BIG_NODES])} steps ({BIG_NODES:,} nodes)"
    )


# ------------------------------------------------------------------------------------------- goal 4: linear build

LINEAR_SIZES = (500, 5_000)
LINEAR_RUNS = 6
LINEAR_GOAL = 11.0


def bench_linear(work: Path, server: bench_browser.Server, www: Path, today: datetime.date) -> None:
    """Build time that 500 and 5,000 synthetic nodes (chained playbooks of 500) add to the real site: the three
    sites built in turn, the order rotating, so the added time is measured against a base of the same runs."""
    sizes = (0, *LINEAR_SIZES)
    times: dict[int, list[float]] = {n: [] for n in sizes}
    roots = {
        n: project_copy(
            work,
            f"linear-{n}",
            bench_synth.chained_playbooks(f"lin{n}", n, today=today, per_file=PER_FILE) if n else [],
        )
        for n in sizes
    }
    for nodes in sizes:
        mkdocs_build(roots[nodes], www / f"linear-{nodes}", server.url + f"linear-{nodes}/")  # warm-up
    for run in range(LINEAR_RUNS):
        order = sizes[run % len(sizes) :] + sizes[: run % len(sizes)]
        progress(f"build linearity: run {run + 1}/{LINEAR_RUNS} (the real site, + 500 and + 5,000 nodes)")
        for nodes in order:
            times[nodes].append(mkdocs_build(roots[nodes], www / f"linear-{nodes}", server.url + f"linear-{nodes}/"))
    base, small, big = (statistics.median(times[n]) for n in sizes)
    added_small, added_big = small - base, big - base
    ratio = added_big / added_small if added_small > 0 else math.inf
    for nodes, median in ((LINEAR_SIZES[0], small), (LINEAR_SIZES[1], big)):
        ROWS.append(
            Row(
                f"build --strict: real site + {nodes:,} nodes",
                str(LINEAR_RUNS),
                seconds(median),
                goal=f"+{median - base:.3f} s over the base of the same runs ({base:.3f} s)",
                result="info",
            )
        )
    ROWS.append(
        Row(
            f"goal 4: build time added, {LINEAR_SIZES[1]:,} vs {LINEAR_SIZES[0]:,} nodes",
            goal=f"{ratio:.1f}x for 10x nodes (goal <= {LINEAR_GOAL:.0f}x)",
            result=verdict(ratio <= LINEAR_GOAL),
        )
    )
    NOTES.append(
        "build linearity runs (s): "
        + "; ".join(f"+{n:,} nodes {', '.join(f'{t:.2f}' for t in times[n])}" for n in sizes)
    )


# ------------------------------------------------------------------------------------------- goal 5: serve loop

SERVE_ROUNDS = 5
SERVE_GOAL = 1.15


def bench_serve(work: Path, bare_src: Path) -> None:
    real_root = project_copy(work, "serve-real", [])
    bare_root = work / "serve-bare"
    shutil.copytree(bare_src, bare_root)
    playbook = real_root / "playbooks" / "running-comms.yaml"
    markdown = sorted((bare_root / "docs").rglob("*.md"))[0]
    real = bench_serve_loop.Serve(real_root, work / "serve-real.log")
    bare = bench_serve_loop.Serve(bare_root, work / "serve-bare.log")
    times: dict[str, list[float]] = {"real": [], "bare": []}
    try:
        folder = markdown.parent.relative_to(bare_root / "docs").as_posix()  # every bare page is an index.md
        real_url, bare_url = real.url + "playbooks/running-comms/", bare.url + ("" if folder == "." else folder + "/")
        text = playbook.read_text(encoding="utf-8")
        title = re.search(r"^title: (.+)$", text, re.MULTILINE).group(1)
        playbook.write_text(text.replace(f"title: {title}", f"title: {title} (edit 0)", 1), encoding="utf-8")
        real.wait_for(real_url, lambda page: "(edit 0)" in page)
        page = markdown.read_text(encoding="utf-8")
        markdown.write_text(page.replace("\n", " (edit 0)\n", 1), encoding="utf-8")
        bare.wait_for(bare_url, lambda html_text: "(edit 0)" in html_text)
        for run in range(SERVE_ROUNDS):
            progress(f"serve loop: edit {run + 1}/{SERVE_ROUNDS} (a playbook, and a Markdown page of the bare site)")
            old, new = f"(edit {run})", f"(edit {run + 1})"
            pair = [("real", real, playbook, real_url), ("bare", bare, markdown, bare_url)]
            for name, server, path, url in pair if run % 2 == 0 else pair[::-1]:
                times[name].append(bench_serve_loop.edit_and_wait(server, path, old, new, url))
                time.sleep(0.5)  # the watcher settles before the other server's edit
    finally:
        real.close()
        bare.close()
    real_s, bare_s = statistics.median(times["real"]), statistics.median(times["bare"])
    ROWS.append(Row("serve: save a playbook -> rebuilt page served (real site)", str(SERVE_ROUNDS), seconds(real_s)))
    ROWS.append(Row("serve: save a Markdown page -> served (bare Material)", str(SERVE_ROUNDS), seconds(bare_s)))
    ROWS.append(
        Row(
            "goal 5: serve loop, real / bare",
            goal=f"{real_s / bare_s:.2f}x (goal <= {SERVE_GOAL}x)",
            result=verdict(real_s / bare_s <= SERVE_GOAL),
        )
    )
    NOTES.append(
        f"serve loop (s): real {', '.join(f'{t:.2f}' for t in times['real'])}; "
        f"bare {', '.join(f'{t:.2f}' for t in times['bare'])}"
    )


# ------------------------------------------------------------------------------------------- goal 7: memory

MEMORY_LAYERS = (19, 59)  # DAGs of 2^20 and 2^60 paths
MEMORY_GOAL = 1.25


def peak_rss_mb(command: list[str]) -> float:
    """Peak resident memory of a finished command (its own, not the bench's), in MB."""
    process = subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed")
    return usage.ru_maxrss / 1024


def bench_memory(work: Path, today: datetime.date) -> None:
    peaks = {}
    for layers in MEMORY_LAYERS:
        playbook = bench_synth.layered_playbook("diamonds", layers, skip=False, today=today)
        folder = work / f"memory-{layers}"
        bench_synth.write_project(folder, [playbook])
        command = [
            sys.executable,
            "-m",
            "macros",
            "paths",
            "diamonds",
            "--limit",
            "100000",
            "--dir",
            str(folder),
            "--org",
            str(folder / "organisation.yaml"),
        ]
        peaks[layers] = statistics.median(peak_rss_mb(command) for _ in range(3))
        ROWS.append(
            Row(f"paths --limit 100000, DAG of 2^{layers + 1} paths: peak memory", "3", f"{peaks[layers]:.1f} MB")
        )
    small, big = (peaks[n] for n in MEMORY_LAYERS)
    ROWS.append(
        Row(
            f"goal 7: memory, 2^{MEMORY_LAYERS[1] + 1} vs 2^{MEMORY_LAYERS[0] + 1} paths",
            goal=f"{big / small:.2f}x (goal <= {MEMORY_GOAL}x: bounded)",
            result=verdict(big / small <= MEMORY_GOAL),
        )
    )


# ------------------------------------------------------------------------------------------- the draft checker

DRAFT_WORDS = 2_000
DRAFT_ROUNDS = 5  # rounds of DRAFT_RUNS checks in each engine, the engine going first alternating
DRAFT_RUNS = 10
DRAFT_FRESH_PAGES = 7
DRAFT_GOAL_MS = 50.0  # a check that keeps up with typing


def bench_draft_check(browser) -> None:
    project = load_project()
    if project.draft_rules is None:
        raise RuntimeError("the project's draft rules do not load: " + "; ".join(map(str, project.diagnostics[:5])))
    rules = project.draft_rules
    found = bench_drafts.measure(
        browser, rules, words=DRAFT_WORDS, rounds=DRAFT_ROUNDS, runs=DRAFT_RUNS, fresh_pages=DRAFT_FRESH_PAGES,
        progress=progress,
    )
    python_ms, browser_ms = statistics.median(found.python_ms), statistics.median(found.browser_ms)
    label = f"draft check, {found.words:,} words ({found.chars:,} characters, {found.rules_in_scope} rules)"
    ROWS.append(
        Row(
            f"{label}: Python, drafts.check in process",
            str(len(found.python_ms)),
            millis(python_ms),
            millis(p95(found.python_ms)),
            result="info",
        )
    )
    ROWS.append(
        Row(
            f"{label}: Chromium, drafts.js in the page",
            str(len(found.browser_ms)),
            millis(browser_ms),
            millis(p95(found.browser_ms)),
            f"{browser_ms / python_ms:.2f}x Python; goal median <= {DRAFT_GOAL_MS:.0f} ms",
            verdict(browser_ms <= DRAFT_GOAL_MS),
        )
    )
    ROWS.append(
        Row(
            f"draft check, {found.words:,} words: the first in a fresh page (patterns compiled)",
            str(len(found.first_ms)),
            millis(statistics.median(found.first_ms)),
            millis(p95(found.first_ms)),
            f"{statistics.median(found.first_ms) / browser_ms:.2f}x a warm check; no goal",
            "info",
        )
    )
    NOTES.append(
        f"draft check: {found.findings} findings on the {found.words:,}-word draft, the same in both engines: "
        f"{found.same}; checks (ms) from fastest to slowest: Python {min(found.python_ms):.1f} to "
        f"{max(found.python_ms):.1f}, Chromium {min(found.browser_ms):.1f} to {max(found.browser_ms):.1f}; "
        f"first checks in fresh pages, in order (ms): {', '.join(f'{t:.1f}' for t in found.first_ms)}"
    )
    scored = bench_drafts.corpus_score(rules)
    if scored is None:
        NOTES.append("draft checker on the corpus: no corpus (tests/engine/draft_corpus.py) yet")
        return
    ROWS.append(
        Row(
            f"draft checker on the corpus ({scored.cases} drafts): precision / recall",
            str(scored.cases),
            f"{scored.precision:.2f} / {scored.recall:.2f}",
            goal=f"{scored.true_pos} found, {scored.false_pos} not expected, {scored.false_neg} missed; no goal",
            result="info",
        )
    )


# ------------------------------------------------------------------------------------------- main

PARTS = ("drafts",)  # what --only can run on its own


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="make bench: the site and the checker against their goals")
    parser.add_argument("--only", choices=PARTS, help="run this part alone; last-results.md is left as it is")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    header = machine()
    for text_line in header:
        print(text_line, flush=True)
    if args.only == "drafts":
        with bench_browser.chromium() as browser:
            bench_draft_check(browser)
        print()
        print(table_text())
        print()
        for note in [*NOTES, f"the draft checker's part alone: {time.perf_counter() - started:.0f} s"]:
            print(f"- {note}")
        missed = [row.what for row in ROWS if row.result == "MISS"]
        print(f"\n{RESULTS.relative_to(ROOT)} not written (a part alone); {len(missed)} goal"
              f"{'s' * (len(missed) != 1)} missed")
        return 0
    today = datetime.date.today()
    with tempfile.TemporaryDirectory(prefix="icp-bench-") as tmp:
        work = Path(tmp)
        www = work / "www"
        www.mkdir()
        server = bench_browser.Server(www)
        try:
            bench_build(work, server, www)
            bench_linear(work, server, www, today)
            progress("serve loop: mkdocs serve of the real site and of the bare one, side by side")
            bench_serve(work, work / "bare-src")
            bench_check(work, today)
            progress("paths: 2^60 walks")
            bench_paths(work, today)
            progress("memory: paths on 2^20 and 2^60 walks")
            bench_memory(work, today)
            with bench_browser.chromium() as browser:
                bench_pages(browser, server, www)
                bench_big(browser, work, server, www, today)
                bench_weight(browser, server, www)
                bench_steps(browser, work, server, www, today)
                bench_draft_check(browser)
        finally:
            server.close()
    total = time.perf_counter() - started
    footer = [f"whole bench: {total:.0f} s"]
    print()
    print(table_text())
    print()
    for note in [*NOTES, *footer]:
        print(f"- {note}")
    missed = [row.what for row in ROWS if row.result == "MISS"]
    RESULTS.write_text(
        "# Benchmark results (`make bench`)\n\n"
        + "".join(f"- {text_line}\n" for text_line in header)
        + "\n"
        + table_markdown()
        + "\n\n"
        + "".join(f"- {note}\n" for note in [*NOTES, *footer]),
        encoding="utf-8",
    )
    print(f"\nwrote {RESULTS.relative_to(ROOT)}; {len(missed)} goal{'s' * (len(missed) != 1)} missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
