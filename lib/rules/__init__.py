"""Rules kept as data, one list per file (cue verbs, titles, page furniture...).

`#` starts a comment line; blank lines are skipped. `.tsv` files hold rows of
tab-separated fields.
"""

from __future__ import annotations

from pathlib import Path

RULES_DIR = Path(__file__).parent


def rule_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a rules file, stripped."""
    lines = (RULES_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def rule_rows(name: str) -> list[list[str]]:
    """The tab-separated fields of each non-empty, non-comment line of a `.tsv` rules file."""
    lines = (RULES_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
