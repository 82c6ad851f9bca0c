"""How angleforge scales: knowledge-base size, draft size, the offline eval suite, a full run.

Everything is measured in one run, so the figures can be compared with each other even on a
shared, noisy machine; growth is reported as ratios within the run. Four measurements:

1. Knowledge base growth. Knowledge folders of 1 brief (the seed), 100 and 1,000 briefs, each
   with `knowledge/author.md`. The extra briefs are the seed brief varied so that each is
   distinct while keeping its Markdown structure (sections, Sources lists, content angles):
   every heading gets a per-brief name, every number in the text is shifted by the brief's
   offset (years by a smaller one, so they stay years), and every publisher and its URL's
   host gets a per-brief name. For each size: `knowledge.load` time, `Guardrail(kb)` index
   build time, the check time of `benchmarks/thread-1kb.md`, `angleforge check` wall time on
   that thread, and the peak memory (max RSS) of a process that loads the knowledge base and
   checks the thread once.
2. Draft size growth with the seed knowledge base: drafts of 1 KB, 10 KB, 100 KB and 1 MB
   (the 1 KB thread's paragraphs repeated): check time, time per KB, and the peak memory of
   checking the 1 MB draft.
3. The offline eval suite: wall time of `angleforge eval` (target: under 30 s).
4. `angleforge generate --provider library` on every angle (13 drafts): wall time.

The results are printed as Markdown tables and written to the "## Scaling" section of
benchmarks/RESULTS.md (the other sections are kept). Temporary knowledge folders, drafts and
stores live in a temporary folder that is removed at the end. Run it from the repository root:

    .venv/bin/python benchmarks/scaling.py [--sizes 1,100,1000] [--no-write] [--profile]

`--profile` also prints a cProfile of loading, indexing and checking at the largest size:
where the extra time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from angleforge.angles import angles  # noqa: E402
from angleforge.guardrail import Guardrail  # noqa: E402
from angleforge.knowledge import load  # noqa: E402
from benchmarks.results import write_section  # noqa: E402
from benchmarks.timing import cold, command_seconds, keep_bytecode, median_cold, median_seconds  # noqa: E402

HEADING = "Scaling"
KNOWLEDGE = ROOT / "knowledge"
SEED = KNOWLEDGE / "call-center-ai-production-reality-2026.md"
AUTHOR = KNOWLEDGE / "author.md"
THREAD_PATH = ROOT / "benchmarks" / "thread-1kb.md"
THREAD = THREAD_PATH.read_text(encoding="utf-8")
PYTHON = sys.executable
COMMAND = str(Path(PYTHON).with_name("angleforge"))
EVAL_TARGET = 30.0
# k above this in time ~ claims^k is called super-linear; noise on a shared machine moves k by about 0.2
SUPER_LINEAR = 1.3


# --- synthetic briefs ------------------------------------------------------------------------

_SYLLABLES = ("ba", "ko", "ri", "ne", "lu", "ta", "mi", "so", "de", "fa", "gu", "pe", "zo", "vi", "ha", "ny")
_HEADING_RE = re.compile(r"^(#{1,6}\s+)(.*?)\s*$")
_LIST_MARKER_RE = re.compile(r"^(\s*\d{1,3}[.)]\s)")
# links and bare URLs: their numbers are not statistics, and their hosts are renamed instead
_URL_RE = re.compile(r"https?://[^\s)\]>]+")
_LINK_TITLE_PUBLISHER_RE = re.compile(r"\[([^\]]*)\(([^()\]]+)\)\]")
# a URL (kept), a date (its year moves), or a number with its thousands separators and decimals
_TOKEN_RE = re.compile(
    r"(?P<url>https?://[^\s)\]>]+)"
    r"|\b(?P<year>\d{4})(?P<monthday>-\d{2}-\d{2})\b"
    r"|(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w,]\d)"
)


def tag(index: int) -> str:
    """A pronounceable per-brief name: 1 -> 'Kobaba'. Distinct for index < 4096."""
    digits = [(index >> shift) & 15 for shift in (0, 4, 8)]
    return "".join(_SYLLABLES[d] for d in digits).capitalize()


def _shift_number(match: re.Match[str], offset: int, year_offset: int) -> str:
    whole, fraction = match.group(4), match.group(5) or ""
    value = int(whole.replace(",", ""))
    if not fraction and "," not in whole and 1900 <= value <= 2100:
        return str(value + year_offset)  # a year stays a year
    shifted = value + offset
    text = f"{shifted:,}" if "," in whole or (shifted >= 1000 and value >= 1000) else str(shifted)
    return text + fraction


def _shift_text(text: str, offset: int, year_offset: int) -> str:
    """Shift every number outside URLs; list markers ("1. ") keep the Markdown structure, and a
    date moves by its year only."""
    marker = _LIST_MARKER_RE.match(text)
    head, text = (marker.group(1), text[marker.end() :]) if marker else ("", text)

    def shift(match: re.Match[str]) -> str:
        if match.group("url"):
            return match.group("url")
        if match.group("year"):
            return f"{int(match.group('year')) + year_offset}{match.group('monthday')}"
        return _shift_number(match, offset, year_offset)

    return head + _TOKEN_RE.sub(shift, text)


def _rename_host(url: str, name: str) -> str:
    """'https://www.twilio.com/x' -> 'https://www.twiliokobaba.com/x' (the registrable label)."""
    scheme, rest = url.split("://", 1)
    host, slash, path = rest.partition("/")
    labels = host.split(".")
    position = len(labels) - 2 if len(labels) >= 2 else 0
    labels[position] = labels[position] + name.lower()
    return f"{scheme}://{'.'.join(labels)}{slash}{path}"


def make_brief(seed: str, index: int) -> str:
    """The seed brief, varied: per-brief headings, numbers, publishers and URLs."""
    if index == 0:
        return seed
    name = tag(index)
    offset, year_offset = index, index % 60
    lines = []
    for line in seed.splitlines():
        heading = _HEADING_RE.match(line)
        if heading:
            line = f"{heading.group(1)}{heading.group(2)} — {name}"
        line = _shift_text(line, offset, year_offset)
        # publishers: "[Title (Twilio)](https://www.twilio.com/...)" -> "(Twilio Kobaba)" and its host
        line = _LINK_TITLE_PUBLISHER_RE.sub(lambda m: f"[{m.group(1)}({m.group(2)}{name.lower()})]", line)
        line = _URL_RE.sub(lambda m: _rename_host(m.group(0), name), line)
        lines.append(line)
    return "\n".join(lines) + "\n"


def build_folder(parent: Path, briefs: int) -> Path:
    """A knowledge folder: the author's facts and `briefs` briefs, the seed first."""
    folder = parent / f"kb-{briefs}"
    folder.mkdir()
    shutil.copy(AUTHOR, folder / AUTHOR.name)
    seed = SEED.read_text(encoding="utf-8")
    for index in range(briefs):
        name = SEED.name if index == 0 else f"brief-{index:04d}-{tag(index).lower()}.md"
        (folder / name).write_text(make_brief(seed, index), encoding="utf-8")
    return folder


# --- timing ------------------------------------------------------------------------------------


def repeat_for(seconds_per_call: float, budget: float = 0.2) -> int:
    """How many calls make one round of about `budget` seconds (at least one)."""
    return max(1, min(1000, int(budget / max(seconds_per_call, 1e-6))))


# A fresh wrapper per measurement: RUSAGE_CHILDREN's ru_maxrss is the largest child so far,
# so each wrapper runs exactly one child and reports that child's peak resident set (KiB on
# Linux, bytes on macOS).
_PEAK_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "wall = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(wall, peak // 1024 if sys.platform == 'darwin' else peak, done.returncode)\n"
)
_CHECK_ONCE = (
    "import sys\n"
    "from pathlib import Path\n"
    "from angleforge.guardrail import Guardrail\n"
    "from angleforge.knowledge import load\n"
    "Guardrail(load(Path(sys.argv[1]))).check(Path(sys.argv[2]).read_text(encoding='utf-8'))\n"
)


def check_peak_kib(folder: Path, draft: Path) -> int:
    """The peak RSS (KiB) of a process that loads the knowledge base and checks `draft` once."""
    return timed_command([PYTHON, "-c", _CHECK_ONCE, str(folder), str(draft)])[1]


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def ms(seconds: float) -> str:
    """A duration to read: '2.1 ms', '746 ms', '2.24 s'."""
    if seconds >= 1:
        return f"{seconds:,.2f} s"
    return f"{seconds * 1e3:.1f} ms" if seconds < 0.1 else f"{seconds * 1e3:.0f} ms"


def ratio(value: float, base: float) -> str:
    if not base:
        return "-"
    return f"{value / base:,.1f}x" if value / base < 100 else f"{value / base:,.0f}x"


# --- 1. knowledge base growth ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KbRow:
    briefs: int
    files: int
    kib_on_disk: int
    claims: int
    statistics: int
    load: float
    index: float
    check: float
    cli: float
    cli_rounds: int
    peak: int
    angles: float
    angle_count: int
    verdict: str
    findings: tuple[tuple[str, str, str], ...]  # each statistic of the thread: text, status, claim


def timed_command(args: list[str]) -> tuple[float, int, int]:
    """Run `args` once under a fresh wrapper: (wall seconds, peak RSS in KiB, exit status)."""
    out = subprocess.run(
        [PYTHON, "-c", _PEAK_WRAPPER, *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def measure_kb(folder: Path, briefs: int, draft: Path) -> KbRow:
    big = briefs >= 500  # a round takes tens of seconds there: fewer rounds
    rounds = 3 if big else 5

    load_s, kb = median_cold(lambda: load(folder), rounds)
    index_s, guardrail = median_cold(lambda: Guardrail(kb), rounds)

    first = time.perf_counter()
    result = guardrail.check(THREAD)
    one = time.perf_counter() - first
    check_s = median_seconds(lambda: guardrail.check(THREAD), repeat=repeat_for(one), rounds=5)

    angle_count = len(angles(kb))
    angles_s = median_seconds(lambda: angles(kb), repeat=1 if big else repeat_for(0.005), rounds=1 if big else 3)

    # the command, run as a user runs it: start-up, load, index, check, print; its peak memory
    cli_rounds = 1 if big else 3
    runs = [timed_command([COMMAND, "check", str(draft), "--knowledge", str(folder)]) for _ in range(cli_rounds)]
    verdict = f"{result.verdict}, {len(result.flagged)} of {len(result.statistics)} flagged"
    return KbRow(
        briefs=briefs,
        files=len(kb.files),
        kib_on_disk=sum(p.stat().st_size for p in folder.rglob("*.md")) // 1024,
        claims=len(kb.claims),
        statistics=len(kb.statistics),
        load=load_s,
        index=index_s,
        check=check_s,
        cli=statistics.median(r[0] for r in runs),
        cli_rounds=cli_rounds,
        peak=max(r[1] for r in runs),
        angles=angles_s,
        angle_count=angle_count,
        verdict=f"{verdict} (`check` exit {runs[-1][2]})",
        findings=tuple(
            (f.text.strip(), f.status, f"{f.claim.text} ({f.claim.id})" if f.claim else "") for f in result.statistics
        ),
    )


def changed_verdicts(rows: list[KbRow]) -> list[str]:
    """The thread's statistics whose verdict differs from the seed's, and the claim now chosen."""
    lines = []
    for row in rows[1:]:
        for (text, before, _), (_, after, claim) in zip(rows[0].findings, row.findings, strict=False):
            if before != after:
                lines.append(f"- {row.briefs:,} briefs: `{text}` was {before} with the seed, now {after}: {claim}")
    if not lines:
        return []
    return ["The thread's verdicts that change as the knowledge base grows:", "", *lines, ""]


def kb_table(rows: list[KbRow]) -> list[str]:
    base = rows[0]
    lines = [
        "| briefs (files) | Markdown | claims / statistics | `load` | `Guardrail(kb)` | check, 1 KB thread "
        "| `angleforge check` wall | peak RSS of that command | `angles(kb)` |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:

        def cell(value: float, base_value: float, fmt: Callable[[float], str] = ms, r: KbRow = r) -> str:
            return fmt(value) if r is base else f"{fmt(value)} ({ratio(value, base_value)})"

        runs = "" if r.cli_rounds > 1 else ", 1 run"
        lines.append(
            f"| {r.briefs:,} ({r.files:,}) | {r.kib_on_disk:,} KiB | {r.claims:,} / {r.statistics:,} "
            f"| {cell(r.load, base.load)} | {cell(r.index, base.index)} | {cell(r.check, base.check)} "
            f"| {cell(r.cli, base.cli)}{runs} | {cell(r.peak, base.peak, lambda k: mib(int(k)))} "
            f"| {cell(r.angles, base.angles)}, {r.angle_count:,} angles |"
        )
    return lines


# --- 2. draft size growth --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DraftRow:
    label: str
    size: int
    statistics: int
    check: float


def draft_of(size: int) -> str:
    """The 1 KB thread's paragraphs repeated to about `size` characters."""
    if size <= len(THREAD):
        return THREAD
    paragraphs = [p for p in THREAD.split("\n\n") if p.strip()]
    out: list[str] = []
    total = 0
    index = 0
    while total < size:
        paragraph = paragraphs[index % len(paragraphs)]
        out.append(paragraph)
        total += len(paragraph) + 2
        index += 1
    return "\n\n".join(out)


def measure_drafts(guardrail: Guardrail, sizes: list[tuple[str, int]]) -> list[DraftRow]:
    rows = []
    for label, size in sizes:
        text = draft_of(size)
        first = time.perf_counter()
        result = guardrail.check(text)
        one = time.perf_counter() - first
        rounds = 3 if one > 0.5 else 5
        seconds = median_seconds(partial(guardrail.check, text), repeat=repeat_for(one), rounds=rounds)
        rows.append(
            DraftRow(label=label, size=len(text.encode("utf-8")), statistics=len(result.statistics), check=seconds)
        )
    return rows


def draft_table(rows: list[DraftRow], peak_small: int, peak_big: int) -> list[str]:
    base = rows[0]
    base_per_kb = base.check / (base.size / 1024)
    lines = [
        "| draft | statistics | check | per KB | per KB vs 1 KB |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        per_kb = r.check / (r.size / 1024)
        lines.append(
            f"| {r.label} ({r.size:,} bytes) | {r.statistics:,} | {ms(r.check)} | {per_kb * 1e3:.3f} ms "
            f"| {ratio(per_kb, base_per_kb)} |"
        )
    lines += [
        "",
        f"Peak RSS of a process that loads the seed knowledge base and checks the {rows[-1].label} draft once: "
        f"{mib(peak_big)} (the 1 KB thread: {mib(peak_small)}).",
    ]
    return lines


# --- profile ---------------------------------------------------------------------------------


def profile(folder: Path, top: int = 25) -> None:
    """Print where loading, indexing and checking spend their time at this size."""
    kb = load(folder)
    guardrail = Guardrail(kb)
    actions: list[tuple[str, Callable[[], object]]] = [
        ("load", lambda: load(folder)),
        ("Guardrail(kb)", lambda: Guardrail(kb)),
        ("check x20, 1 KB thread", lambda: [guardrail.check(THREAD) for _ in range(20)]),
        ("angles(kb)", lambda: angles(kb)),
    ]
    # a second load of the same folder: `attribution.Known.of` now compares the organisation
    # sets by value on every call, which shows in the check's profile
    for title, action in actions:
        cold()
        profiler = cProfile.Profile()
        profiler.enable()
        action()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
        print(f"\n### cProfile: {title} ({folder.name})\n{out.getvalue()}", file=sys.stderr)


# --- main ------------------------------------------------------------------------------------


def exponent(small: float, large: float, n_small: int, n_large: int) -> float:
    """k in time ~ N^k between two sizes: 1 is linear, 2 quadratic."""
    return math.log(large / small) / math.log(n_large / n_small) if small > 0 and large > 0 else float("nan")


def growth_lines(rows: list[KbRow]) -> list[str]:
    """Growth between the two largest sizes, where fixed costs no longer hide it."""
    if len(rows) < 3:
        return []
    small, large = rows[-2], rows[-1]
    n_small, n_large = small.claims, large.claims
    measures = [
        ("`load`", small.load, large.load),
        ("`Guardrail(kb)`", small.index, large.index),
        ("check, 1 KB thread", small.check, large.check),
        ("`angleforge check` wall", small.cli, large.cli),
        ("peak RSS", float(small.peak), float(large.peak)),
        ("`angles(kb)`", small.angles, large.angles),
    ]
    cells = []
    for name, a, b in measures:
        k = exponent(a, b, n_small, n_large)
        mark = " **super-linear**" if k > SUPER_LINEAR else ""
        cells.append(f"| {name} | {ratio(b, a)} | {k:.2f}{mark} |")
    return [
        f"Growth from {small.briefs:,} to {large.briefs:,} briefs ({n_large / n_small:.1f}x the claims), as "
        f"k in time ~ claims^k (1 is linear; above {SUPER_LINEAR} is marked):",
        "",
        "| what | ratio | k |",
        "|---|---|---|",
        *cells,
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="1,100,1000", help="knowledge-base sizes in briefs (default 1,100,1000)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile at the largest size")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()} | {1})
    keep_bytecode()
    started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="angleforge-scaling-") as tmp_name:
        tmp = Path(tmp_name)
        draft = tmp / "thread-1kb.md"
        draft.write_text(THREAD, encoding="utf-8")

        # 1. knowledge base growth
        kb_rows = []
        folders = {}
        for briefs in sizes:
            folders[briefs] = build_folder(tmp, briefs)
            row = measure_kb(folders[briefs], briefs, draft)
            kb_rows.append(row)
            print(
                f"kb {briefs:>5,} briefs: load {ms(row.load)}, index {ms(row.index)}, check {ms(row.check)}, "
                f"command {ms(row.cli)}, peak {mib(row.peak)}, angles {ms(row.angles)}; {row.verdict}",
                file=sys.stderr,
            )
        baseline_peak = timed_command([PYTHON, "-c", "import angleforge.guardrail, angleforge.knowledge"])[1]
        if args.profile:
            profile(folders[sizes[-1]])
        for briefs, folder in folders.items():
            if briefs != 1:
                shutil.rmtree(folder)  # the big folders are not needed any more

        # 2. draft size growth, seed knowledge base
        seed_folder = folders[1]
        cold()
        guardrail = Guardrail(load(seed_folder))
        draft_sizes = [("1 KB", 1_000), ("10 KB", 10_000), ("100 KB", 100_000), ("1 MB", 1_000_000)]
        draft_rows = measure_drafts(guardrail, draft_sizes)
        big_draft = tmp / "draft-1mb.md"
        big_draft.write_text(draft_of(draft_sizes[-1][1]), encoding="utf-8")
        peak_big = check_peak_kib(seed_folder, big_draft)
        peak_small = check_peak_kib(seed_folder, draft)
        for r in draft_rows:
            print(f"draft {r.label:>6}: check {ms(r.check)}", file=sys.stderr)

        # 3. the offline eval suite
        eval_s, eval_done = command_seconds([COMMAND, "eval", "--db", str(tmp / "e.db")], ROOT, rounds=3)
        print(f"eval: {ms(eval_s)} (exit {eval_done.returncode})", file=sys.stderr)

        # 4. generate, library provider, every angle: a fresh store each round
        generate_samples = []
        done = None
        for round_number in range(3):
            start = time.perf_counter()
            done = subprocess.run(
                [COMMAND, "generate", "--provider", "library", "--db", str(tmp / f"g-{round_number}.db")],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            generate_samples.append(time.perf_counter() - start)
        assert done is not None
        generate_s = statistics.median(generate_samples)
        summary = [line.strip() for line in done.stdout.splitlines() if line.startswith(("run ", "  passed"))]
        drafts = sum(1 for line in done.stdout.splitlines() if re.match(r"\s+r\w+-\d+\s", line))
        generated = "; ".join(summary) or "no summary line"
        print(f"generate: {ms(generate_s)} (exit {done.returncode}) {generated}", file=sys.stderr)
        elapsed = time.perf_counter() - started

    # --- report --------------------------------------------------------------------------------
    base, largest = kb_rows[0], kb_rows[-1]
    lines = [
        f"Measured by `benchmarks/scaling.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, in one run of {elapsed:.0f} s. In-process figures are medians of 3 to 5 "
        "rounds, each `load` and `Guardrail(kb)` round with angleforge's caches emptied first, as in a "
        "fresh `angleforge check`; ratios compare figures of the same run (the machine is shared).",
        "",
        "### Knowledge base size",
        "",
        "Knowledge folders of N briefs plus `author.md`: the seed brief and N-1 variants of it (every "
        "heading renamed, every number outside URLs shifted by the brief's offset 1..N-1 and years by "
        "offset mod 60, every publisher and URL host renamed; same sections, Sources lists and content "
        "angles). The check is of `benchmarks/thread-1kb.md` with the knowledge base loaded and indexed; "
        "the command's wall time (median of 3 runs, 1 run from 500 briefs up) includes start-up, load and index; "
        "its peak RSS is the command's own (`ru_maxrss` of that child). Ratios are against the seed.",
        "",
        *kb_table(kb_rows),
        "",
        "Verdicts on the thread: "
        + "; ".join(f"{r.briefs:,} briefs: {r.verdict}" for r in kb_rows)
        + f". Peak RSS of a process that only imports angleforge: {mib(baseline_peak)}.",
        "",
        *changed_verdicts(kb_rows),
        *growth_lines(kb_rows),
        "",
        "### Draft size (seed knowledge base)",
        "",
        *draft_table(draft_rows, peak_small, peak_big),
        "",
        "### Offline eval suite and a full library run",
        "",
        "| what | median of 3 | notes |",
        "|---|---|---|",
        f"| `angleforge eval --db <tmp>` (offline, default suites) | {ms(eval_s)} | exit {eval_done.returncode}; "
        f"target < {EVAL_TARGET:.0f} s{' (met)' if eval_s < EVAL_TARGET else ' (missed)'} |",
        f"| `angleforge generate --provider library --db <tmp>`, every angle ({drafts} drafts) | {ms(generate_s)} "
        f"| exit {done.returncode}; {generated} |",
    ]
    if largest is base:
        lines.insert(0, "Only the seed size was measured.\n")
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section(HEADING, body)


if __name__ == "__main__":
    main()
