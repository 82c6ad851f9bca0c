"""The `angleforge` command: parse arguments, call the library, print.

Each command imports what it needs when it runs, so `angleforge check` never pays for the
model client or the template engine.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from angleforge import __version__
from angleforge.errors import AngleforgeError, InputError

if TYPE_CHECKING:
    from angleforge.guardrail import Guardrail

Handler = Callable[[argparse.Namespace], int]


def _location_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--workspace",
        type=Path,
        metavar="DIR",
        help="the workspace folder (default: found from here upwards, or $ANGLEFORGE_HOME)",
    )
    common.add_argument(
        "--knowledge",
        type=Path,
        metavar="DIR",
        help="the knowledge folder to use instead of the workspace's knowledge/",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="angleforge",
        description="X drafts from a research brief, with every statistic checked against its sources.",
    )
    parser.add_argument("--version", action="version", version=f"angleforge {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = _location_options()

    check = commands.add_parser(
        "check",
        parents=[common],
        help="check the statistics of drafts against the knowledge base",
        description="Check every statistic of each draft. Exit 0 when all pass, 1 when any is flagged, 2 on bad input.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="draft files or folders of .md/.txt drafts; - reads standard input",
    )
    check.add_argument("--json", action="store_true", help="print results as JSON")
    check.set_defaults(handler=_check)

    angles = commands.add_parser("angles", parents=[common], help="list the angles drafts can be written on")
    angles.add_argument("--json", action="store_true", help="print as JSON")
    angles.set_defaults(handler=_angles)

    generate = commands.add_parser(
        "generate",
        parents=[common],
        help="write drafts on the knowledge base's angles, checked and repaired",
        description="Write drafts, check every statistic, repair what fails, and store them for review. "
        "Exit 0 when every draft is stored passed or flagged, 1 when any failed, 2 on bad input.",
    )
    chosen = generate.add_mutually_exclusive_group()
    chosen.add_argument(
        "--angle", action="append", metavar="NAME", help="an angle (see `angleforge angles`); repeatable"
    )
    chosen.add_argument("--topic", metavar="TEXT", help="a free angle; its facts are found by retrieval")
    chosen.add_argument("--resume", metavar="RUN_ID", help="finish an interrupted run")
    generate.add_argument(
        "--format", choices=["thread", "post", "question"], help="the format (default: each angle's own)"
    )
    generate.add_argument(
        "-n", dest="count", type=_positive, default=1, metavar="N", help="drafts per angle (default 1)"
    )
    generate.add_argument(
        "--provider",
        choices=["library", "openai"],
        help="default: openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else library",
    )
    generate.add_argument("--model", metavar="M", help="model name (default: angleforge.toml, else gpt-4o-mini)")
    generate.add_argument("--base-url", metavar="URL", help="an OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)")
    generate.add_argument("--concurrency", type=_positive, metavar="C", help="requests at once (default 8)")
    generate.add_argument("--max-repairs", type=_non_negative, metavar="R", help="repairs per draft (default 2)")
    generate.add_argument("--seed", type=int, default=1, metavar="S", help="seed for variation (default 1)")
    generate.add_argument("--no-cache", action="store_true", help="ask the model even when a reply is cached")
    generate.add_argument(
        "--db", type=Path, metavar="FILE", help="the draft store (default: .angleforge/angleforge.db)"
    )
    generate.add_argument("--out", type=Path, metavar="DIR", help="also write each draft as Markdown here")
    generate.add_argument("--json", action="store_true", help="print the run and its drafts as JSON")
    generate.set_defaults(handler=_generate)

    from angleforge.cli.eval import add_command as add_eval
    from angleforge.cli.review import add_commands

    add_commands(commands, common)
    add_eval(commands, common)

    kb = commands.add_parser("kb", parents=[common], help="summarise, list or audit the knowledge base")
    kb.add_argument(
        "view",
        nargs="?",
        choices=["summary", "stats", "audit"],
        default="summary",
        help="summary (default); stats: every statistic with its sources; "
        "audit: statistics without a cited source and sources that back nothing",
    )
    kb.add_argument("--json", action="store_true", help="print as JSON")
    kb.set_defaults(handler=_kb)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except AngleforgeError as error:
        print(f"angleforge: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("angleforge: interrupted", file=sys.stderr)
        return 130
    except sqlite3.Error as error:  # the store failed under us: a disk, a lock held too long
        print(f"angleforge: the draft store failed: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _knowledge_folder(args: argparse.Namespace) -> Path:
    if args.knowledge is not None:
        return Path(args.knowledge)
    from angleforge import workspace

    return workspace.find(args.workspace).knowledge


def guardrail_for(args: argparse.Namespace) -> Guardrail:
    """The guardrail over the chosen knowledge folder, through the workspace's index cache
    when there is a workspace to keep it in."""
    from angleforge import workspace
    from angleforge.errors import WorkspaceError
    from angleforge.indexcache import load_guardrail

    try:
        cache: Path | None = workspace.find(args.workspace).state / "cache"
    except WorkspaceError:
        if args.knowledge is None:
            raise
        cache = None
    return load_guardrail(_knowledge_folder(args), cache)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _read_drafts(paths: list[str]) -> list[tuple[str, str]]:
    from angleforge.textfiles import read_stdin, read_text

    if not paths:
        if sys.stdin.isatty():
            raise InputError("check", "no draft given: name files, or pipe a draft into `angleforge check -`")
        paths = ["-"]
    drafts = []
    for name in paths:
        if name == "-":
            found = [("-", read_stdin())]
        elif Path(name).is_dir():
            files = sorted(p for p in Path(name).rglob("*") if p.suffix in (".md", ".txt") and p.is_file())
            if not files:
                raise InputError(name, "folder holds no .md or .txt drafts")
            found = [(str(p), read_text(p)) for p in files]
        else:
            found = [(name, read_text(Path(name)))]
        for label, text in found:
            if not text.strip():
                raise InputError(label, "empty draft")
        drafts.extend(found)
    return drafts


def _check(args: argparse.Namespace) -> int:
    from angleforge import render
    from angleforge.statuses import Verdict

    drafts = _read_drafts(args.paths)
    guardrail = guardrail_for(args)
    results = [guardrail.check(text, path) for path, text in drafts]
    if args.json:
        _print_json([result.to_json() for result in results])
    else:
        style = render.Style(sys.stdout.isatty())
        views = (render.check_result(r, text, style) for r, (_, text) in zip(results, drafts, strict=True))
        print("\n\n".join(views))
    return 1 if any(r.verdict is Verdict.FLAGGED for r in results) else 0


def _kb(args: argparse.Namespace) -> int:
    from angleforge import knowledge, render
    from angleforge.audit import audit

    kb = knowledge.load(_knowledge_folder(args))
    style = render.Style(sys.stdout.isatty())
    if args.view == "stats":
        if args.json:
            _print_json(
                [
                    {
                        "text": q.text.strip(),
                        "kind": q.kind,
                        "value": q.describe(),
                        "claim": claim.id,
                        "section": claim.section,
                        "claim_text": claim.text,
                        "sourced": claim.sourced,
                        "sources": [asdict(s) for s in claim.sources],
                        "organisations": list(claim.organisations),
                    }
                    for claim, q in kb.statistics
                ]
            )
        else:
            print(render.kb_statistics(kb, style))
    elif args.view == "audit":
        report = audit(kb)
        if args.json:
            _print_json(asdict(report))
        else:
            print(render.kb_audit(report, style))
    elif args.json:
        sourced = sum(1 for claim, _ in kb.statistics if claim.sourced)
        _print_json(
            {
                "root": kb.root,
                "files": list(kb.files),
                "sections": len(kb.sections),
                "sourced_sections": sum(1 for s in kb.sections if s.sources),
                "sources": len(kb.sources),
                "claims": len(kb.claims),
                "statistics": len(kb.statistics),
                "backed_statistics": sourced,
                "unsourced_statistics": len(kb.statistics) - sourced,
                "voice_samples": len(kb.voice_samples),
            }
        )
    else:
        print(render.kb_summary(kb))
    return 0


def _angles(args: argparse.Namespace) -> int:
    from angleforge import knowledge
    from angleforge.angles import angles

    found = angles(knowledge.load(_knowledge_folder(args)))
    if args.json:
        _print_json([asdict(angle) for angle in found])
        return 0
    width = max((len(a.name) for a in found), default=0)
    for angle in found:
        print(f"{angle.name:<{width}}  {angle.format:<8}  {angle.title}")
    return 0


def _generate(args: argparse.Namespace) -> int:
    from angleforge.cli.generate import generate

    return generate(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
