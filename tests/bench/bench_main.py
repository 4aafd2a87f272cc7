"""``make bench``: how fast and how heavy the site and the checker are, against goals, in one table.

Measures (medians of alternating runs, since the machine is noisy):

1. build: ``mkdocs build --strict`` of the real site vs a bare Material site with as many pages and as much text;
2. check: ``python -m macros check`` on valid synthetic trees of 100, 1,000 and 10,000 nodes (wall time of the
   command, and ``load_project`` in this process, which leaves out interpreter start-up and imports); a tree is
   a chain of playbooks of at most 500 nodes, since the YAML reader caps the keys and values of one file;
3. paths: counting the walks of a DAG of 2^60 paths, in process and with ``python -m macros paths ID --count``;
4. page weight: the project's own JS+CSS gzipped, and every byte Chromium fetches for the decision-tree page
   vs the same page of the bare site;
5. step latency: answer click to next question in headless Chromium, on the real trees and on a 1,000-node one.

Prints the table and writes it as Markdown to ``tests/bench/last-results.md``. Run from the repository root:
``.venv/bin/python tests/bench/bench_main.py`` (or ``make bench``).
"""

from __future__ import annotations

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
import bench_synth  # noqa: E402

from macros.engine.graph import count_paths  # noqa: E402
from macros.engine.loader import load_project  # noqa: E402
from macros.site.hooks import OWN_ASSETS  # noqa: E402

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
OWN_ASSETS_GOAL = 10_000
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
            "build: real / bare",
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
        return [python, "-m", "macros", "check", str(folder), "--org", str(folder / "organisation.yaml")]

    startup: list[float] = []
    wall: dict[int, list[float]] = {n: [] for n in CHECK_SIZES}
    inproc: dict[int, list[float]] = {n: [] for n in CHECK_SIZES}
    for nodes in CHECK_SIZES:  # warm-up: file cache, .pyc files
        _, output = timed_run(command(nodes), ROOT)
        if not output.startswith("ok:") or f"{nodes} nodes" not in output:
            raise RuntimeError(f"check of {nodes} nodes did not pass: {output[:500]}")
    for run in range(CHECK_RUNS):
        progress(f"check: run {run + 1}/{CHECK_RUNS}")
        order = CHECK_SIZES if run % 2 == 0 else CHECK_SIZES[::-1]
        startup.append(timed_run([python, "-c", "import macros.cli.main"], ROOT)[0])
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
    for nodes in CHECK_SIZES:
        median = statistics.median(wall[nodes])
        goal, result = ("", "")
        if nodes == 10_000:
            goal, result = f"goal <= {CHECK_10K_GOAL_S:.0f} s", verdict(median <= CHECK_10K_GOAL_S)
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
    own = {name: len(gzip.compress((www / "real" / name).read_bytes(), 9, mtime=0)) for name in OWN_ASSETS}
    total = sum(own.values())
    ROWS.append(
        Row(
            f"own JS+CSS gzipped ({len(own)} files, as served)",
            median=size(total),
            goal=f"goal <= {OWN_ASSETS_GOAL:,} B",
            result=verdict(total <= OWN_ASSETS_GOAL),
        )
    )
    NOTES.append("own assets gzipped: " + ", ".join(f"{name} {value:,} B" for name, value in own.items()))
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


# ------------------------------------------------------------------------------------------- main


def main() -> int:
    started = time.perf_counter()
    header = machine()
    for text_line in header:
        print(text_line, flush=True)
    today = datetime.date.today()
    with tempfile.TemporaryDirectory(prefix="icp-bench-") as tmp:
        work = Path(tmp)
        www = work / "www"
        www.mkdir()
        server = bench_browser.Server(www)
        try:
            bench_build(work, server, www)
            bench_check(work, today)
            progress("paths: 2^60 walks")
            bench_paths(work, today)
            with bench_browser.chromium() as browser:
                bench_weight(browser, server, www)
                bench_steps(browser, work, server, www, today)
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
