"""How much one run may be asked for, in one place for the command line and the settings file.

Standard library only: every command's parser reads these, `angleforge check`'s too.
"""

from __future__ import annotations

# drafts per angle: a run of every angle at the most is a few thousand drafts, not an
# accidental hundred thousand that fills the disk with a store of gigabytes
MAX_COUNT = 100
# requests in flight at once; more than any endpoint's rate limit allows
MAX_CONCURRENCY = 256
# repairs per draft; past a few, a draft the guardrail keeps rejecting is for a person
MAX_REPAIRS = 10
