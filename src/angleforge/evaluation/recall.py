"""Whether each angle's key facts reached its prompt: recall over a labelled list per angle.

A model can only write what it is given; a latency thread whose prompt lacks the latency
components will be vague or invent them. The key facts are pieces of the facts' text, chosen
by a person for each angle (`evals/key-facts.yaml`); an angle's recall is the share of them
its compose prompt carries, and a case scores its worst angle.
"""

from __future__ import annotations

from angleforge.evaluation.scorers import RuleShare, ScoredDraft, normalised
from angleforge.evaluation.suites import KeyFacts


def fact_recall(drafts: list[ScoredDraft], key_facts: KeyFacts) -> RuleShare:
    """The lowest recall of any angle with key facts among the drafts (1.0 where none has),
    with the key facts each draft's prompt lacked."""
    worst: dict[str, float] = {}
    problems: dict[str, list[str]] = {}
    for draft in drafts:
        wanted = key_facts.of(draft.angle, draft.topic)
        if not wanted or not draft.prompt:
            continue
        prompt = normalised(draft.prompt)
        missing = [fact for fact in wanted if normalised(fact) not in prompt]
        recall = 1 - len(missing) / len(wanted)
        subject = draft.topic or draft.angle
        worst[subject] = min(recall, worst.get(subject, 1.0))
        if missing:
            problems[draft.id] = [f"the prompt lacks a key fact: {fact!r}" for fact in missing]
    return RuleShare(min(worst.values(), default=1.0), problems)
