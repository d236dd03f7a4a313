"""Page -> stories: headlines, paragraphs and captions, page furniture dropped.

A page copied from a browser is a run of blocks separated by blank lines. A block
of several short unpunctuated lines is an image's alt text and caption; a lone
unpunctuated line of headline shape, followed by a paragraph or a caption, opens
a new story. A one-article file (headline, then paragraphs) is one story.
The rules that are words, not shapes, live in ``lib/rules/`` as data.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from lib.model import StorySegment
from lib.rules import rule_lines

# A paragraph ends like a sentence: full stop, ?, !, or a closing quote/bracket
# after one. Headlines and captions do not.
SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*$|["”’]$""")
HEADLINE_MIN_WORDS, HEADLINE_MAX_WORDS = 3, 25
PARAGRAPH_MIN_WORDS = 8  # what follows a headline must look like body text
FURNITURE_MAX_WORDS = 12  # furniture rules never touch a long line
BULLET = re.compile(r"[-*•–·] ")  # a list is body text, not a caption
# A quote signed on the line below it ('"..."' then '― Ana Ruiz', as quote galleries
# print readers' words): body text, not an image's caption.
SIGNATURE = re.compile(r"(?:--|[―—–-])\s*\w")
SIGNATURE_MAX_WORDS = 8  # "-- Tom Baker, chief constable of Leeds" (lib.quotes reads it too)
QUOTE_CLOSED = re.compile(r"""["”“]\s*$""")
# No-break and thin spaces: the tagger reads each as a token of its own, which can
# derail the parse of the sentence around it ("says the\u00a0Republican movement ...").
ODD_SPACES = "\u00a0\u2009\u202f"
SPACES = re.compile(f"[ \t{ODD_SPACES}]+")
_PLAIN_SPACES = str.maketrans(ODD_SPACES, " " * len(ODD_SPACES))


def plain_spaces(text: str) -> str:
    """Odd spaces as plain ones, character for character: offsets still hold."""
    return text.translate(_PLAIN_SPACES)


@functools.cache
def _furniture_rules() -> tuple[frozenset[str], re.Pattern[str] | None]:
    exact, patterns = set(), []
    for rule in rule_lines("furniture.txt"):
        if rule.startswith("re:"):
            patterns.append(f"(?:{rule[3:]})")
        else:
            exact.add(rule.casefold())
    combined = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None
    return frozenset(exact), combined


@functools.cache
def _not_headline_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in rule_lines("headline.txt")))


def is_furniture(line: str) -> bool:
    if len(line.split()) > FURNITURE_MAX_WORDS:
        return False
    exact, pattern = _furniture_rules()
    text = line.strip().casefold()
    return text in exact or bool(pattern and pattern.fullmatch(line.strip()))


def ends_like_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line.rstrip()))


def looks_like_headline(line: str) -> bool:
    words = line.split()
    return (
        HEADLINE_MIN_WORDS <= len(words) <= HEADLINE_MAX_WORDS
        and not ends_like_sentence(line)
        and not line.rstrip().endswith((",", ";", ":", "-"))
        and (line[0].isupper() or line[0].isdigit() or line[0] in "'\"‘“")
        and line.count(",") <= 1
        and not _not_headline_pattern().search(line)
    )


def looks_like_body(line: str) -> bool:
    return ends_like_sentence(line) and len(line.split()) >= PARAGRAPH_MIN_WORDS


def _signs_quote(above: str, line: str) -> bool:
    return (bool(SIGNATURE.match(line)) and len(line.split()) <= SIGNATURE_MAX_WORDS
            and bool(QUOTE_CLOSED.search(above)))


@dataclass(slots=True)
class _Block:
    lines: list[str]

    @property
    def is_caption(self) -> bool:
        """Alt text and caption: several lines, mostly unpunctuated."""
        if len(self.lines) < 2 or any(BULLET.match(line) for line in self.lines):
            return False
        if any(_signs_quote(above, line) for above, line in zip(self.lines, self.lines[1:])):
            return False
        unpunctuated = sum(not ends_like_sentence(line) for line in self.lines)
        return unpunctuated * 2 >= len(self.lines)

    @property
    def single(self) -> str | None:
        return self.lines[0] if len(self.lines) == 1 else None


def _blocks(text: str) -> tuple[list[_Block], bool]:
    """The page's blocks, and whether any furniture was dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # Text with no blank lines at all (HTML extraction, some browsers) has one
    # block per line.
    raw_blocks = re.split(r"\n[ \t]*\n", text) if re.search(r"\n[ \t]*\n", text) else text.split("\n")
    blocks, saw_furniture = [], False
    for raw in raw_blocks:
        lines = [SPACES.sub(" ", line).strip() for line in raw.split("\n")]
        kept = [line for line in lines if line and not is_furniture(line)]
        saw_furniture = saw_furniture or len(kept) < sum(1 for line in lines if line)
        if kept:
            blocks.append(_Block(kept))
    return blocks, saw_furniture


@dataclass(slots=True)
class _StoryDraft:
    headline: str
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)

    def add_captions(self, lines: list[str]) -> None:
        for line in lines:
            # Alt text and caption are often the same line twice.
            if line not in self.captions:
                self.captions.append(line)

    def freeze(self) -> StorySegment:
        return StorySegment(self.headline, tuple(self.paragraphs), tuple(self.captions))


def looks_like_first_headline(line: str) -> bool:
    """The first line of an article: short, not a finished sentence ("?" and "..." allowed)."""
    stripped = line.rstrip("'\"”’ ")
    return len(line.split()) <= HEADLINE_MAX_WORDS and (
        not stripped.endswith(".") or stripped.endswith("..")
    )


def _opens_story(blocks: list[_Block], index: int, current: _StoryDraft, is_page: bool) -> bool:
    line = blocks[index].single
    if line is None or index + 1 >= len(blocks):
        return False
    if not current.paragraphs:
        # Nothing but captions so far: a headline-shaped line heads this story.
        return not current.headline and looks_like_first_headline(line)
    if not looks_like_headline(line) or line.isupper():
        return False
    following = blocks[index + 1]
    if following.is_caption:
        return True
    # A page (captions or furniture seen) holds several stories; a plain
    # article file holds one, so its short unpunctuated lines (fixtures,
    # sub-heads, reader comments) stay paragraphs.
    return is_page and following.single is not None and looks_like_body(following.single)


def split_stories(text: str, *, title: str | None = None) -> list[StorySegment]:
    """Cut a page into stories. ``title`` (from HTML metadata) heads a page with no headline line."""
    blocks, saw_furniture = _blocks(text)
    is_page = saw_furniture or any(block.is_caption for block in blocks)
    title = SPACES.sub(" ", title).strip() if title else ""
    drafts: list[_StoryDraft] = []
    current = _StoryDraft(headline="")
    for index, block in enumerate(blocks):
        if _opens_story(blocks, index, current, is_page):
            if current.paragraphs:
                drafts.append(current)
                current = _StoryDraft(headline=block.lines[0])
            else:
                current.headline = block.lines[0]
        elif block.is_caption:
            current.add_captions(block.lines)
        elif not current.paragraphs and not current.headline and block.single == title:
            current.headline = title
        else:
            current.paragraphs.extend(block.lines)
    if current.paragraphs:
        drafts.append(current)
    if drafts and not drafts[0].headline:
        drafts[0].headline = title
    return [draft.freeze() for draft in drafts]
