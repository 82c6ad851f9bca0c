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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from angleforge.guardrail import Guardrail  # noqa: E402
from angleforge.knowledge import load  # noqa: E402
from benchmarks.results import write_section  # noqa: E402

HEADING = "Scaling"
KNOWLEDGE = ROOT / "knowledge"
SEED = KNOWLEDGE / "call-center-ai-production-reality-2026.md"
AUTHOR = KNOWLEDGE / "author.md"
THREAD_PATH = ROOT / "benchmarks" / "thread-1kb.md"
THREAD = THREAD_PATH.read_text(encoding="utf-8")
PYTHON = sys.executable
COMMAND = str(Path(PYTHON).with_name("angleforge"))
EVAL_TARGET = 30.0


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


def median_seconds(action: Callable[[], object], repeat: int = 1, rounds: int = 5) -> float:
    """The median over `rounds` of the mean time of one call, in seconds."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            action()
        samples.append((time.perf_counter() - start) / repeat)
    return statistics.median(samples)


def repeat_for(seconds_per_call: float, budget: float = 0.2) -> int:
    """How many calls make one round of about `budget` seconds (at least one)."""
    return max(1, min(1000, int(budget / max(seconds_per_call, 1e-6))))


def command_seconds(args: list[str], rounds: int = 3) -> tuple[float, subprocess.CompletedProcess[str]]:
    samples = []
    done: subprocess.CompletedProcess[str] | None = None
    for _ in range(rounds):
        start = time.perf_counter()
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
        samples.append(time.perf_counter() - start)
    assert done is not None
    return statistics.median(samples), done


# A fresh wrapper per measurement: RUSAGE_CHILDREN's ru_maxrss is the largest child so far,
# so each wrapper runs exactly one child and reports that child's peak resident set (KiB on
# Linux, bytes on macOS).
_PEAK_WRAPPER = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(peak // 1024 if sys.platform == 'darwin' else peak)\n"
)
_CHECK_ONCE = (
    "import sys\n"
    "from pathlib import Path\n"
    "from angleforge.guardrail import Guardrail\n"
    "from angleforge.knowledge import load\n"
    "Guardrail(load(Path(sys.argv[1]))).check(Path(sys.argv[2]).read_text(encoding='utf-8'))\n"
)


def peak_kib(args: list[str]) -> int:
    """The peak resident set of running `args` once, in KiB."""
    out = subprocess.run(
        [PYTHON, "-c", _PEAK_WRAPPER, *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return int(out.strip().splitlines()[-1])


def check_peak_kib(folder: Path, draft: Path) -> int:
    return peak_kib([PYTHON, "-c", _CHECK_ONCE, str(folder), str(draft)])


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def ratio(value: float, base: float) -> str:
    return f"{value / base:,.1f}x" if base else "-"


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
    cli_exit: int
    peak: int
    verdict: str


def measure_kb(folder: Path, briefs: int, draft: Path) -> KbRow:
    big = briefs >= 500
    rounds = 3 if big else 5
    kb = load(folder)
    load_s = median_seconds(lambda: load(folder), repeat=1 if big else repeat_for(0.01), rounds=rounds)
    index_s = median_seconds(lambda: Guardrail(kb), repeat=1 if big else 3, rounds=rounds)
    guardrail = Guardrail(kb)
    first = time.perf_counter()
    result = guardrail.check(THREAD)
    one = time.perf_counter() - first
    check_s = median_seconds(lambda: guardrail.check(THREAD), repeat=repeat_for(one), rounds=5)
    cli_s, done = command_seconds([COMMAND, "check", str(draft), "--knowledge", str(folder)], rounds=3)
    peak = check_peak_kib(folder, draft)
    verdict = f"{result.verdict}, {len(result.flagged)}/{len(result.statistics)} flagged"
    return KbRow(
        briefs=briefs,
        files=len(kb.files),
        kib_on_disk=sum(p.stat().st_size for p in folder.rglob("*.md")) // 1024,
        claims=len(kb.claims),
        statistics=len(kb.statistics),
        load=load_s,
        index=index_s,
        check=check_s,
        cli=cli_s,
        cli_exit=done.returncode,
        peak=peak,
        verdict=verdict,
    )


def kb_table(rows: list[KbRow]) -> list[str]:
    base = rows[0]
    lines = [
        "| briefs (files) | size | claims / statistics | `load` | `Guardrail(kb)` | check, 1 KB thread "
        "| `angleforge check` wall | peak RSS (load + check) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        def cell(value: float, base_value: float, fmt: Callable[[float], str] = ms, r: KbRow = r) -> str:
            return fmt(value) if r is base else f"{fmt(value)} ({ratio(value, base_value)})"

        lines.append(
            f"| {r.briefs:,} ({r.files:,}) | {r.kib_on_disk:,} KiB | {r.claims:,} / {r.statistics:,} "
            f"| {cell(r.load, base.load)} | {cell(r.index, base.index)} | {cell(r.check, base.check)} "
            f"| {cell(r.cli, base.cli)} | {cell(r.peak, base.peak, lambda k: mib(int(k)))} |"
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
        seconds = median_seconds(lambda text=text: guardrail.check(text), repeat=repeat_for(one), rounds=rounds)
        rows.append(DraftRow(label=label, size=len(text.encode("utf-8")), statistics=len(result.statistics), check=seconds))
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
    for title, action in (
        ("load", lambda: load(folder)),
        ("Guardrail(kb)", lambda kb=load(folder): Guardrail(kb)),
        ("check x20, 1 KB thread", lambda g=Guardrail(load(folder)): [g.check(THREAD) for _ in range(20)]),
    ):
        profiler = cProfile.Profile()
        profiler.enable()
        action()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
        print(f"\n### cProfile: {title} ({folder.name})\n{out.getvalue()}")


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,100,1000", help="knowledge-base sizes in briefs (default 1,100,1000)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile at the largest size")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if sizes[0] != 1:
        sizes.insert(0, 1)
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
            print(f"kb {briefs:>5} briefs: load {ms(row.load)}, index {ms(row.index)}, check {ms(row.check)}, "
                  f"cli {ms(row.cli)}, peak {mib(row.peak)} ({row.verdict})", file=sys.stderr)
        baseline_peak = peak_kib([PYTHON, "-c", "import angleforge.guardrail, angleforge.knowledge"])
        if args.profile:
            profile(folders[sizes[-1]])

        # 2. draft size growth, seed knowledge base
        seed_folder = folders[1]
        guardrail = Guardrail(load(seed_folder))
        draft_sizes = [("1 KB", 1_000), ("10 KB", 10_000), ("100 KB", 100_000), ("1 MB", 1_000_000)]
        draft_rows = measure_drafts(guardrail, draft_sizes)
        big_draft = tmp / "draft-1mb.md"
        big_draft.write_text(draft_of(draft_sizes[-1][1]), encoding="utf-8")
        peak_big = check_peak_kib(seed_folder, big_draft)
        peak_small = kb_rows[0].peak
        for r in draft_rows:
            print(f"draft {r.label:>6}: check {ms(r.check)}", file=sys.stderr)

        # 3. the offline eval suite
        eval_s, eval_done = command_seconds([COMMAND, "eval", "--db", str(tmp / "e.db")], rounds=3)
        print(f"eval: {ms(eval_s)} (exit {eval_done.returncode})", file=sys.stderr)

        # 4. generate, library provider, every angle
        runs = iter(range(100))
        generate_samples = []
        generated = ""
        generate_exit = 0
        for _ in range(3):
            db = tmp / f"g-{next(runs)}.db"
            start = time.perf_counter()
            done = subprocess.run(
                [COMMAND, "generate", "--provider", "library", "--db", str(db)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            generate_samples.append(time.perf_counter() - start)
            generate_exit = done.returncode
            generated = next((line.strip() for line in done.stdout.splitlines() if line.startswith("  passed")), "")
            drafts_line = next((line.strip() for line in done.stdout.splitlines() if line.startswith("run ")), "")
        generate_s = statistics.median(generate_samples)
        print(f"generate: {ms(generate_s)} (exit {generate_exit}) {drafts_line}; {generated}", file=sys.stderr)
        elapsed = time.perf_counter() - started

    # --- report --------------------------------------------------------------------------------
    largest = kb_rows[-1]
    base = kb_rows[0]
    lines = [
        f"Measured by `benchmarks/scaling.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, in one run of {elapsed:.0f} s. Each figure is a median of several rounds "
        "(3 for the slowest); ratios compare figures of the same run.",
        "",
        "### Knowledge base size",
        "",
        "Knowledge folders of N briefs plus `author.md`: the seed brief and N-1 variants of it (every "
        "heading renamed, every number shifted by the brief's offset, years by a smaller one, every "
        "publisher and URL host renamed; same sections, Sources lists and content angles). The check "
        "is of `benchmarks/thread-1kb.md` with the knowledge base already loaded and indexed; the "
        "command's wall time includes start-up, load and index. Ratios are against the seed.",
        "",
        *kb_table(kb_rows),
        "",
        f"Verdicts on the thread: "
        + "; ".join(f"{r.briefs:,} briefs: {r.verdict} (`check` exit {r.cli_exit})" for r in kb_rows)
        + f". Peak RSS of importing angleforge alone: {mib(baseline_peak)}.",
        "",
    ]
    if len(kb_rows) > 1:
        growth = largest.briefs / base.briefs
        lines += [
            f"From 1 to {largest.briefs:,} briefs ({growth:,.0f}x the briefs, "
            f"{largest.claims / base.claims:,.0f}x the claims): load grew {ratio(largest.load, base.load)}, "
            f"the index {ratio(largest.index, base.index)}, one check {ratio(largest.check, base.check)}, "
            f"the command {ratio(largest.cli, base.cli)}, peak memory {ratio(largest.peak, base.peak)}.",
            "",
        ]
    lines += [
        "### Draft size (seed knowledge base)",
        "",
        *draft_table(draft_rows, peak_small, peak_big),
        "",
        "### Offline eval suite and a full library run",
        "",
        "| what | median of 3 | notes |",
        "|---|---|---|",
        f"| `angleforge eval` (offline, default suites) | {ms(eval_s)} | exit {eval_done.returncode}; "
        f"target < {EVAL_TARGET:.0f} s{' (met)' if eval_s < EVAL_TARGET else ' (missed)'} |",
        f"| `angleforge generate --provider library`, every angle | {ms(generate_s)} | exit {generate_exit}; "
        f"{generated or 'no summary line'} |",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section(HEADING, body)


if __name__ == "__main__":
    main()
