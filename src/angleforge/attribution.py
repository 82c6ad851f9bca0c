"""Who a sentence credits for its numbers: "Gartner predicts", "according to Forrester",
"(Twilio)", a link.

A name counts as a credited source only where the sentence uses it as one (a reporting
verb, "according to", a source label, a link), or where it is a known organisation in
parentheses or before a colon. A company merely mentioned ("at Ender Turing we ...") is not
a citation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from itertools import pairwise
from urllib.parse import urlparse

from angleforge import patterns, terms
from angleforge.quantities.structure import THREAD_MARKER

# well-known analysts, consultancies and vendors that posts cite; the knowledge base's own
# publishers and the organisations its claims name are added to these at load time
KNOWN_ORGANISATIONS = frozenset(
    name.lower()
    for name in """Gartner|Forrester|McKinsey|IDC|Deloitte|Accenture|BCG|Boston Consulting Group
    |Bain|PwC|KPMG|EY|Ernst & Young|Capgemini|IBM|Microsoft|Google|Amazon|AWS|OpenAI|Anthropic
    |Meta|Nvidia|Salesforce|Zendesk|Genesys|NICE|Five9|Talkdesk|Twilio|Cisco|Avaya|Nuance
    |Verint|Calabrio|Cresta|MIT|Stanford|Harvard|Pew|Statista|Grand View Research
    |MarketsandMarkets|Juniper Research|Everest Group|Frost & Sullivan|Metrigy|Omdia
    |ContactBabel|Qualtrics|HubSpot|Dialpad|Vonage|Teneo|Gladia|AssemblyAI|Deepgram|ElevenLabs
    |Nextgov|TTEC|UCToday|Crescendo|Conectys|Invisible|Trillet|Harvard Business Review|HBR
    |Bloomberg|Reuters|Forbes|WSJ|Wall Street Journal|Financial Times|The Economist|Wired
    |TechCrunch|Zoom|RingCentral|8x8|Sprinklr|Intercom|Freshworks|ServiceNow|Oracle|SAP""".split("|")
)

_NOT_ORGANISATIONS = frozenset(
    """i we you they he she it this that these those everyone everybody nobody someone vendors
    vendor industry the a an most many some our my your their customers users research data
    practitioners experts analysts leaders teams companies production reality translation
    progress hook value cta content ai llm llms voice contact call top hot take thread
    everything nothing here there what why how when study survey report benchmarks benchmark
    but and so if yes no also only one two three""".split()
)

# a capitalised word, which ends at a possessive: "IBM" of "IBM's Cost of a Data Breach Report"
# (opening on its capital, so that a search skips from one capital to the next)
_NAME_WORD = r"[A-Z](?:\.(?:[A-Z]\.)+|[\w&-]*(?:['’](?!s\b)\w+)?)"  # "J.D." of "J.D. Power" too
_NAME = rf"{_NAME_WORD}(?:\s+(?:&\s+)?{_NAME_WORD}){{0,3}}"
_REPORTING = (
    r"predicts?|predicted|predictions?|says|said|reports?|reported|found|finds|estimates?"
    r"|estimated|forecasts?|projects|projected|expects|notes|noted|claims|warns|shows|showed"
    r"|surveys?|surveyed|study|studies|studied|research|data|analysis|analy[sz]ed|benchmarks?|puts\s+it|numbers"
    # an organisation that looked into it: "Forrester looked at this. 42% of teams ..."
    r"|look(?:s|ed)?\s+(?:at|into)|track(?:s|ed)|measured|examined|polled|tested|monitored|counted|asked"
    r"|dug\s+into|ran\s+the\s+numbers|crunched"
)
# what an organisation publishes: "Forrester's latest survey:", "IDC's 2025 data shows"
_PUBLICATION = (
    r"surveys?|data|report|study|research|analysis|numbers|findings|figures|benchmarks?|index|poll|outlook"
    r"|review|predictions?|forecasts?|tracker|trends|statistics|stats|results|paper|whitepaper"
)
# "Twilio, AssemblyAI and Cresta": each is credited; after the first, only a known organisation
# ("Per Rystad, US utilities signed ..." credits Rystad alone)
_NAMES = rf"{_NAME}(?:\s*,\s*(?:and\s+)?{_NAME}|\s+and\s+{_NAME})*"
_NAME_SEPARATOR_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_CREDIT_RES = [
    re.compile(
        rf"(?P<name>{_NAME})(?:(?:'s|’s)?\s+(?:{_REPORTING})\b"
        rf"|(?:'s|’s)\s+(?:[\w-]+\s+){{0,3}}?(?:{_PUBLICATION})\b)"
    ),
    re.compile(rf"(?<![\w-])(?i:according\s+to|per|source:|sources:|via|cited\s+by)\s+(?:the\s+)?(?P<name>{_NAMES})"),
]
# "(Twilio)", "(source: Twilio, Cresta)", "(Gartner, 2025)"
_PARENTHESISED_RE = re.compile(rf"\((?P<label>(?i:source:)\s*)?(?P<name>{_NAMES})(?:,\s*\d{{4}})?\)")
# "Gartner: 40% ...", "• McKinsey: 89% ...", "2/3 Forrester: ...": at the start of the text, or
# after a sentence's end or a line break (a pattern of its own, which opens on that character)
_LABELLED = rf"\s*(?:{THREAD_MARKER}\s+)?(?:[^\w\s\"'“‘(]{{1,3}}\s*)?(?P<name>{_NAME}):\s"
_LABEL_AT_START_RE = re.compile(_LABELLED)
_LABEL_RE = re.compile(rf"[.!?\n](?:(?<=[.!?])\s+|(?<=\n)){_LABELLED}")
# a word each pattern above needs, looked for first: a plain search is far cheaper than
# trying a pattern at every capital letter, and most sentences credit no one. A reporting word
# follows the last word of a name, which opens on a capital, and the spaces after that word (and
# its possessive); it is looked for only there, its words factored by their first letters. An
# organisation's publication follows a possessive. The search opens on one set of characters,
# capitals and quotes, fewer in a sentence than its spaces.
_REPORTING_WORDS = (
    "predict", "says", "said", "report", "found", "finds", "estimat", "forecast", "project", "expects",
    "notes", "noted", "claims", "warns", "shows", "showed", "survey", "stud", "research", "data",
    "analys", "analyz", "benchmark", "puts", "numbers", "look", "track", "measured", "examined", "polled",
    "tested", "monitored", "counted", "asked", "dug", "ran", "crunched",
)  # fmt: skip
_MAY_REPORT_RE = re.compile(rf"[A-Z'’](?:(?<=[A-Z])\S*+\s+{patterns.alternation(_REPORTING_WORDS)}|(?<=['’])s)")
_CREDITING_WORDS = ("according", "per", "source", "via", "cited")
_LEAD_RE = re.compile(rf"[\s\"'“‘(\[*_>-]*(?:{THREAD_MARKER}\s*)?")
_MAY_CREDIT_RE = re.compile(r"[A-Z]|https?://|www\.")
_LETTERS_RE = re.compile(r"[a-z]+")
_URL_RE = re.compile(r"https?://[^\s)\]>]+|www\.[^\s)\]>]+")


@lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    """Lower case, no possessive, no leading article, single spaces; a handle's underscores
    are spaces ("Gartner_inc" is "gartner inc", which names Gartner)."""
    name = re.sub(r"(?:'s|’s)$", "", name.strip()).lower()
    name = re.sub(r"^the\s+", "", name)
    name = _INITIALS_RE.sub(lambda m: m.group().replace(".", ""), name)  # "j.d. power" is "jd power"
    return re.sub(r"[\s_]+", " ", name).strip()


_INITIALS_RE = re.compile(r"\b(?:[a-z]\.){2,}")


def domain_name(url: str) -> str:
    """'https://www.twilio.com/en-us/blog' -> 'twilio'."""
    try:
        host = urlparse(url if "://" in url else f"https://{url}").hostname or ""
    except ValueError:  # "http://[oops": not a URL anyone can follow
        return ""
    parts = [p for p in host.split(".") if p not in ("www", "blog", "news", "en", "us")]
    return parts[-2] if len(parts) >= 2 else (parts[0] if parts else "")


def credited_names(
    sentence: str, known: frozenset[str] = frozenset(), vocabulary: frozenset[str] = frozenset()
) -> list[str]:
    """The organisations (normalised) that `sentence` credits for what it states. `known` are
    the names of organisations the knowledge base knows, `vocabulary` the content words
    (`terms.term`) it uses: an acronym in parentheses that is one of those words ("(STT)",
    "(SCOP)") abbreviates a term of the field rather than citing anyone."""
    return credited_by(sentence, Known.of(known, vocabulary))


def credited_by(sentence: str, known: Known) -> list[str]:
    """`credited_names` with the organisations known gathered already (`Known.of`), as a
    knowledge base's index keeps them."""
    if not _MAY_CREDIT_RE.search(sentence):
        return []  # no capital letter and no link: nobody is credited
    return list(_credited(sentence, known))


class Known:
    """The organisation names known (those posts often cite, and a knowledge base's own), indexed
    by word for the 'same organisation' test, with the content words of the field the knowledge
    base covers."""

    def __init__(self, names: frozenset[str], vocabulary: frozenset[str]) -> None:
        self.names = names
        self.vocabulary = vocabulary
        self.by_word: dict[str, list[str]] = {}
        for name in names:
            for word in name.split():
                self.by_word.setdefault(word, []).append(name)

    @staticmethod
    @lru_cache(maxsize=32)  # one per knowledge base in use; a long-lived process may load many
    def of(extra: frozenset[str], vocabulary: frozenset[str]) -> Known:
        return Known(KNOWN_ORGANISATIONS | extra, vocabulary)

    def knows(self, name: str) -> bool:
        if name in self.names:
            return True
        candidates = {n for word in name.split() for n in self.by_word.get(word, ())}
        return any(_same_organisation(name, candidate) for candidate in candidates)


@lru_cache(maxsize=4096)
def _credited(sentence: str, known: Known) -> tuple[str, ...]:
    names: list[str] = []
    for pattern, may_match in zip(_CREDIT_RES, (_may_report, _may_cite), strict=True):
        if not may_match(sentence):
            continue
        for match in pattern.finditer(sentence):
            # a capital at the start of a sentence proves nothing: "Internal data shows"
            opening = _LEAD_RE.fullmatch(sentence, 0, match.start("name")) is not None
            names.extend(_listed(match.group("name"), known, unknown=_looks_like_a_name if opening else None))
    if "(" in sentence:
        for match in _PARENTHESISED_RE.finditer(sentence):
            cited = (
                None
                if match.group("label")
                else partial(_cited_in_parentheses, before=sentence[: match.start()], vocabulary=known.vocabulary)
            )
            names.extend(_listed(match.group("name"), known, unknown=cited))
    if ":" in sentence:
        # "Key Finding: 40% ..." or "CSAT: 85%" labels a topic: a label that is no known
        # organisation counts only when spelt like one company ("PolyAI")
        first = _LABEL_AT_START_RE.match(sentence)
        labels = _LABEL_RE.finditer(sentence, first.end() if first else 0)
        for match in (first, *labels) if first else labels:
            names.extend(_trimmed(match.group("name"), known, unknown=_camel_case))
    if "http" in sentence or "www." in sentence:
        names.extend(domain_name(url) for url in _URL_RE.findall(sentence))
    return tuple(dict.fromkeys(n for n in names if n)) if names else ()


def _may_report(sentence: str) -> bool:
    """Whether `sentence` holds what the reporting pattern needs: a reporting word after a
    capitalised word and a space, or a possessive."""
    return _MAY_REPORT_RE.search(sentence) is not None


def _may_cite(sentence: str) -> bool:
    """Whether `sentence` holds a word the citing pattern needs, in any case."""
    return mentions(sentence, _CREDITING_WORDS)


def mentions(text: str, words: Iterable[str]) -> bool:
    """Whether `text` holds one of the lower-case ASCII `words` wherever a case-blind pattern
    would find it: a test far cheaper than the pattern, asked first."""
    folded = _folded(text)
    # a loop, not `any(map(folded.__contains__, words))`, whose method wrapper and map cost
    # more than the tests themselves
    for word in words:  # noqa: SIM110
        if word in folded:
            return True
    return False


def mentioned_at(text: str, words: Iterable[str]) -> list[int]:
    """Where in `text` each of the lower-case ASCII `words` stands, as `mentions` finds them,
    in order: a text folded once where its parts would each be folded and searched."""
    return patterns.occurrences(_folded(text), words)  # as long as `text`, so its offsets are the text's


def _folded(text: str) -> str:
    """`text` lower-cased so that whatever a case-blind pattern matches of a lower-case ASCII
    word, `folded` holds that word: the pattern also takes "İ" and "ı" for "i" and "ſ" for "s".
    As long as `text`: "İ", the one letter whose lower case is two, is replaced first."""
    if not text.isascii():
        text = text.replace("İ", "i").lower().replace("ı", "i").replace("ſ", "s")
    return text.lower()


def _trimmed(raw: str, known: Known, *, unknown: Callable[[list[str]], bool] | None) -> list[str]:
    """The name in `raw`, without leading words that are not names ('But Gartner'). A name
    no known organisation bears counts where `unknown` says its words make one (any, if None)."""
    words = raw.split()
    while words and words[0].lower().strip(".,") in _NOT_ORGANISATIONS:
        words = words[1:]
    if not words or (len(words) == 1 and _field_word(words[0])):
        return []
    name = normalise(" ".join(words))
    if unknown is not None and not known.knows(name) and not unknown(words):
        return []
    return [name]


def _listed(raw: str, known: Known, *, unknown: Callable[[list[str]], bool] | None) -> list[str]:
    """The names of a credited list ("Twilio, AssemblyAI and Cresta"): the first as `_trimmed`
    takes it, the others only where an organisation is known by them ("Per Rystad, US
    utilities ..." credits Rystad alone)."""
    first, *more = _NAME_SEPARATOR_RE.split(raw)
    return [
        *_trimmed(first, known, unknown=unknown),
        *(n for other in more for n in _trimmed(other, known, unknown=_nobody)),
    ]


def _field_word(word: str) -> bool:
    """'AI-drafted', 'GPU-bound': a hyphenated word with a part in lower case is a word of the
    field, where 'Rolls-Royce' is a name."""
    return "-" in word and any(part.islower() for part in word.split("-"))


def _nobody(words: list[str]) -> bool:
    """No unknown name counts: only an organisation the knowledge base or the list knows."""
    return False


def _looks_like_a_name(words: list[str]) -> bool:
    """'Acme Research', 'McKinsey', 'IDC': more than a capitalised common word."""
    if len(words) > 1 and all(w[:1].isupper() for w in words):
        return True
    word = words[0].rstrip("'’s")
    return _camel_case(words) or (len(word) > 1 and word.isupper())


def _cited_in_parentheses(words: list[str], *, before: str, vocabulary: frozenset[str]) -> bool:
    """Whether '(Acme Labs)', '(PolyAI)' or '(DNV)' after `before` cites a source: an acronym
    that spells the words before it ('average handle time (AHT)', 'customer satisfaction
    (CSAT)') abbreviates them, one with a digit ('(P95)') names a measure, and one the field's
    `vocabulary` uses ('100-300ms (STT)') is a term of it."""
    if len(words) > 1 or not words[0].isupper():
        return _looks_like_a_name(words)
    acronym = words[0].rstrip("'’s")
    if not (len(acronym) > 1 and acronym.isalpha()) or terms.term(acronym) in vocabulary:
        return False
    return not _abbreviates(acronym.lower(), before.lower())


def _abbreviates(acronym: str, before: str) -> bool:
    """Whether the letters of `acronym` run, in order, through the words just before it, the
    first letter opening one of them (Schwartz and Hearst's test for an abbreviation)."""
    words = _LETTERS_RE.findall(before)[-len(acronym) :]
    for at, word in enumerate(words):
        if word[0] == acronym[0]:
            letters = iter("".join(words[at:])[1:])
            if all(letter in letters for letter in acronym[1:]):  # `in` consumes: a subsequence
                return True
    return False


def _camel_case(words: list[str]) -> bool:
    """'McKinsey', 'AssemblyAI': one word with a capital inside it, as company names are
    spelt; not a capital after a hyphen ('Speech-to-Text'), nor an acronym ('CSAT')."""
    word = words[0].rstrip("'’s")
    return len(words) == 1 and not word.isupper() and any(c.isupper() and p != "-" for p, c in pairwise(word))


def _same_organisation(a: str, b: str) -> bool:
    """'ttec' and 'ttec digital', 'deloitte insights' and 'deloitte' are the same; so are an
    acronym and the name it spells ('ama', 'american medical association') and a domain that
    puts "the" before a name ('theicct', 'icct')."""
    if a == b:
        return True
    words_a, words_b = _words(a), _words(b)
    if bool(words_a) and bool(words_b) and (words_a <= words_b or words_b <= words_a):
        return True
    return _initials(b) == a or _initials(a) == b or a == f"the{b}" or b == f"the{a}"


@lru_cache(maxsize=4096)
def _initials(name: str) -> str:
    """The first letters of a name of three words or more, its small words left out:
    'american journal of roentgenology' is 'ajr'; '' for a shorter name."""
    words = [w for w in name.split() if w not in _SMALL_WORDS]
    return "".join(w[0] for w in words) if len(words) >= 3 else ""


_SMALL_WORDS = frozenset(("of", "and", "the", "for", "&", "in", "on"))


@lru_cache(maxsize=4096)  # the same few names are compared again and again
def _words(name: str) -> frozenset[str]:
    return frozenset(name.split())


def credits_agree(credited: str, allowed: Iterable[str]) -> bool:
    """Whether a credited organisation is one of `allowed` (normalised names)."""
    return any(_same_organisation(credited, name) for name in allowed)
