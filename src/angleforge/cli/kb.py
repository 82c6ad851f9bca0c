"""`angleforge kb`: the knowledge base counted, its statistics listed, or audited."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from angleforge.cli.common import Knowledge, print_json, terminal_style

if TYPE_CHECKING:
    from angleforge.cli.common import Commands
    from angleforge.knowledge import KnowledgeBase


def add_parser(commands: Commands, location: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("kb", parents=[location], help="summarise, list or audit the knowledge base")
    parser.add_argument(
        "view",
        nargs="?",
        choices=["summary", "stats", "audit"],
        default="summary",
        help="summary (default); stats: every statistic with its sources; "
        "audit: statistics without a cited source, sources that back nothing and sections "
        "only the closing References list backs",
    )
    parser.add_argument("--json", action="store_true", help="print as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from angleforge import render
    from angleforge.audit import audit

    kb = Knowledge.given(args).load()
    if args.view == "stats":
        if args.json:
            print_json(_statistics(kb))
        else:
            print(render.kb_statistics(kb, terminal_style()))
    elif args.view == "audit":
        report = audit(kb)
        if args.json:
            print_json(asdict(report))
        else:
            print(render.kb_audit(report, terminal_style()))
    elif args.json:
        print_json(_summary(kb))
    else:
        print(render.kb_summary(kb))
    return 0


def _statistics(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return [
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


def _summary(kb: KnowledgeBase) -> dict[str, Any]:
    sourced = sum(1 for claim, _ in kb.statistics if claim.sourced)
    return {
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
