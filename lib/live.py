"""Live pages: a live blog's posts as stories, read from its JSON-LD or its markup.

Saved as HTML or fetched by URL, a live page (many short posts on one page) would
otherwise be one story: trafilatura gives its main text as one block, and
``lib.segment`` cuts pages copied from a browser as plain text. Publishers describe
the posts twice, and both are read, JSON-LD first:

- schema.org JSON-LD: a ``LiveBlogPosting`` (at the top, in ``@graph``, in a list or
  nested in another object) whose ``liveBlogUpdate`` lists the posts, each with
  ``headline``, ``articleBody`` (paragraphs on lines of their own), ``datePublished``
  and an ``image`` with a ``caption``;
- markup: an ``<article>`` per post (heading, ``<p>`` paragraphs, ``<time datetime>``,
  ``<figcaption>``), or else a live-blog container (``rules/live_containers.txt``)
  where each post starts at a heading.

A page is live only with at least ``MIN_POSTS`` posts of real text. Posts read from
markup must also be the page's main text as trafilatura finds it: most of their text
is in it, and they hold most of it. So an article page with teaser ``<article>``s
beside it (which trafilatura leaves out, and which are short) stays one story.

Posts keep the page's order (publishers list the newest first). A post without a
headline is headed by its first sentence, cut to ``FALLBACK_HEADLINE_WORDS`` words:
what a reader scanning a list of stories needs is what the post says, and its time is
shown beside it anyway. Posts without body text are left out, and so are
page-furniture lines (``lib.segment.is_furniture``); so is whatever a live-blog
container holds before its first heading (an introduction, not a post).

The page is untrusted: its JSON is only loaded, never evaluated, and whatever is
malformed is skipped, so the page is read as one story as before.
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from lxml.html import HtmlElement

from lib.model import StorySegment
from lib.rules import rule_lines
from lib.segment import SPACES, is_furniture

MIN_POSTS = 2  # fewer posts than this: not a live page, whatever its markup says
MIN_POST_WORDS = 8  # a post counted towards MIN_POSTS holds this many words of text
# Posts found in markup and trafilatura's main text of the page: at least this share of
# the posts' word triples is in the main text, and the posts hold at least this share of
# its words. Teasers beside an ordinary article fail one or the other.
MIN_MARKUP_SHARE = 0.5
SHINGLE_WORDS = 3
FALLBACK_HEADLINE_WORDS = 12
MAX_TIME_CHARS = 40  # a longer "datePublished" is not an ISO 8601 time
LIVE_TYPE = "LiveBlogPosting"
HEADINGS = ("h1", "h2", "h3", "h4")
HEADINGS_SET = frozenset(HEADINGS)
# the blocks a post's paragraphs are read from (the innermost, when they nest)
PARAGRAPH_BLOCKS = frozenset({"p", "li", "blockquote"})
FIGURES = frozenset({"figure", "figcaption"})  # no paragraphs: captions
# below a post or a container, nothing inside these is read: page furniture
FURNITURE = frozenset({"aside", "nav", "footer", "form", "button"})
NO_TEXT = frozenset({"script", "style", "noscript", "template"})  # their text is code
MAX_CONTAINERS = 20  # live-blog containers read per page (a post's own class matches too)
# an <article> inside one of these is a teaser or a widget, not a post
NOT_POST_CONTAINERS = frozenset({"aside", "nav", "footer", "header"})

# --------------------------------------------------------------------------- cheap signals

_ARTICLE_TAG = re.compile(rb"<article[\s>]", re.IGNORECASE)


@functools.cache
def _container_fragments() -> tuple[str, ...]:
    return tuple(fragment.casefold() for fragment in rule_lines("live_containers.txt"))


@functools.cache
def _container_attribute() -> re.Pattern[bytes]:
    fragments = b"|".join(re.escape(f.encode()) for f in _container_fragments())
    return re.compile(rb"""\b(?:class|id)\s*=\s*["']?[^"'>]*?(?:""" + fragments + rb")",
                      re.IGNORECASE)


def might_be_live(data: bytes) -> bool:
    """Whether raw HTML is worth parsing for posts: it names a LiveBlogPosting, has
    several <article> tags or a live-blog container. Most pages are ruled out here."""
    if b"LiveBlogPosting" in data:
        return True
    articles = _ARTICLE_TAG.finditer(data)
    if next(articles, None) and next(articles, None):
        return True
    return bool(_container_attribute().search(data))


# --------------------------------------------------------------------------- posts


@dataclass(slots=True)
class _PostDraft:
    headline: str = ""
    published: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)

    def add_paragraphs(self, text: str) -> None:
        self.paragraphs.extend(clean_lines(text))

    def add_captions(self, text: str) -> None:
        for caption in clean_lines(text):
            if caption not in self.captions:  # alt text and caption are often alike
                self.captions.append(caption)

    def freeze(self) -> StorySegment | None:
        """The post as a story, or None without body text."""
        if not self.paragraphs:
            return None
        headline = " ".join(clean_lines(self.headline)) or fallback_headline(self.paragraphs[0])
        return StorySegment(headline, tuple(self.paragraphs), tuple(self.captions),
                            self.published)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_lines(text: str) -> list[str]:
    """Text -> its non-empty lines, spaces made plain and page furniture dropped."""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    lines = (SPACES.sub(" ", line).strip() for line in text.splitlines())
    return [line for line in lines if line and not is_furniture(line)]


_SENTENCE_END = re.compile(r"""[.!?…]["'”’)]*(?=\s|$)""")
MIN_SENTENCE_WORDS = 4  # "Mr." or "U.S." ends no sentence this short


def first_sentence(paragraph: str) -> str:
    paragraph = paragraph.strip()
    for end in _SENTENCE_END.finditer(paragraph):
        if len(paragraph[:end.end()].split()) >= MIN_SENTENCE_WORDS:
            return paragraph[:end.end()]
    return paragraph


def fallback_headline(paragraph: str) -> str:
    """A headline for a post without one: its first sentence, at most
    FALLBACK_HEADLINE_WORDS words ("…" where it is cut), without the full stop."""
    sentence = first_sentence(paragraph)
    words = sentence.split()
    if len(words) > FALLBACK_HEADLINE_WORDS:
        return " ".join(words[:FALLBACK_HEADLINE_WORDS]).rstrip(",;:-–—") + "…"
    return sentence.removesuffix(".") if not sentence.endswith("..") else sentence


def iso_time(value: object) -> str | None:
    """An ISO 8601 date or time as Python writes it ("2025-03-04T10:15:00+00:00"), or None
    for anything else."""
    if not isinstance(value, str) or len(value.strip()) > MAX_TIME_CHARS:
        return None
    text = value.strip()
    try:
        if len(text) == len("2025-03-04"):
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _real_posts(posts: Iterable[StorySegment | None]) -> tuple[StorySegment, ...]:
    """The posts with body text, if there are enough with real text to make a live page."""
    kept = tuple(post for post in posts if post is not None)
    real = sum(1 for post in kept if len(post.text.split()) >= MIN_POST_WORDS)
    return kept if real >= MIN_POSTS else ()


def live_posts(tree: HtmlElement, *, main_text: str) -> tuple[StorySegment, ...]:
    """A live page's posts, in the page's order; () for any other page.

    ``main_text``: what trafilatura took for the page's main text, which posts read from
    markup must match (see MIN_MARKUP_SHARE).
    """
    posts = json_ld_posts(tree)
    if posts:
        return posts
    for read in (article_posts, container_posts):
        posts = read(tree)
        if posts and _are_main_text(posts, main_text):
            return posts
    return ()


def _are_main_text(posts: tuple[StorySegment, ...], main_text: str) -> bool:
    post_text = "\n".join(post.text for post in posts)
    in_posts, in_main = _shingles(post_text), _shingles(main_text)
    return (len(in_posts & in_main) >= MIN_MARKUP_SHARE * len(in_posts)
            and len(post_text.split()) >= MIN_MARKUP_SHARE * len(main_text.split()))


def _shingles(text: str) -> set[tuple[str, ...]]:
    """The runs of SHINGLE_WORDS words of a text: compared, they show where two texts
    share passages, whatever their spacing and line breaks."""
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


# --------------------------------------------------------------------------- JSON-LD


def json_ld_posts(tree: HtmlElement) -> tuple[StorySegment, ...]:
    """The posts of the first LiveBlogPosting in the page's JSON-LD that has enough."""
    for block in _json_ld_blocks(tree):
        for node in _objects(block):
            if _has_type(node, LIVE_TYPE):
                updates = node.get("liveBlogUpdate")
                updates = updates if isinstance(updates, list) else [updates]
                posts = _real_posts(_json_ld_post(update) for update in updates
                                    if isinstance(update, dict))
                if posts:
                    return posts
    return ()


# Some sites wrap their JSON-LD in an HTML comment or CDATA markers.
_JSON_WRAPPERS = (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>"))


def _json_ld_blocks(tree: HtmlElement) -> Iterator[object]:
    """The loaded content of each JSON-LD script that is valid JSON."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = (script.text or "").strip()
        for opening, closing in _JSON_WRAPPERS:
            if text.startswith(opening) and text.endswith(closing):
                text = text[len(opening):-len(closing)].strip()
        try:
            # strict=False: raw newlines inside strings, as many CMSs write articleBody
            yield json.loads(text.rstrip(";"), strict=False)
        except (ValueError, RecursionError):  # malformed or absurdly deep: not ours to fix
            continue


def _objects(data: object) -> Iterator[dict]:
    """Every JSON object in a JSON-LD block, in document order (no recursion: a block
    can nest deeper than Python's stack)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def _has_type(node: dict, wanted: str) -> bool:
    """``@type`` names ``wanted``: as a string or in a list, bare or as a URL/prefixed name."""
    types = node.get("@type")
    for name in types if isinstance(types, list) else [types]:
        if isinstance(name, str) and re.split(r"[/:#]", name.strip())[-1] == wanted:
            return True
    return False


def _first_string(node: dict, *keys: str) -> str:
    for key in keys:
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return ""


_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:br|p|div|li|h[1-6]|blockquote|ul|ol)\b[^>]*>",
                        re.IGNORECASE)
_ANY_TAG = re.compile(r"<[a-zA-Z!/][^>]*>")


def _markup_free(text: str) -> str:
    """JSON-LD text as plain text: entities decoded ("&amp;", "&#8217;"), and any markup
    that came along ("&lt;p&gt;" or "<p>") turned into line breaks or dropped."""
    text = html.unescape(text)
    return _ANY_TAG.sub("", _BLOCK_TAG.sub("\n", text))


def _json_ld_post(update: dict) -> StorySegment | None:
    draft = _PostDraft(
        headline=_markup_free(_first_string(update, "headline", "name")),
        published=iso_time(_first_string(update, "datePublished", "dateCreated")),
    )
    draft.add_paragraphs(_markup_free(_first_string(update, "articleBody", "text")))
    for image in _as_list(update.get("image")):
        if isinstance(image, dict) and isinstance(image.get("caption"), str):
            draft.add_captions(_markup_free(image["caption"]))
    return draft.freeze()


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


# --------------------------------------------------------------------------- markup


@dataclass(frozen=True, slots=True)
class _Piece:
    """What a post is read from: a heading, a time, a caption or a paragraph block."""

    kind: str  # "heading" | "time" | "caption" | "paragraph"
    element: HtmlElement


@dataclass(slots=True)
class _Walking:
    """An element being walked by ``_pieces``."""

    element: HtmlElement
    children: Iterator[HtmlElement]
    in_furniture: bool = False
    in_figure: bool = False
    holds_block: bool = False  # a paragraph block holding another is not read itself


def _pieces(root: HtmlElement) -> list[_Piece]:
    """The pieces under ``root`` in one walk (deep markup must not cost a walk per piece):
    headings, times and captions at their start, and the innermost paragraph blocks at
    their end, which keeps the order (a block holds no heading). Nothing inside
    furniture below ``root`` is a piece, and no paragraph inside a figure."""
    pieces: list[_Piece] = []
    stack = [_Walking(root, iter(root))]
    blocks: list[_Walking] = []  # the paragraph blocks being walked, innermost last
    while stack:
        walking = stack[-1]
        child = next(walking.children, None)
        if child is None:
            stack.pop()
            if blocks and blocks[-1] is walking:
                blocks.pop()
                if not (walking.holds_block or walking.in_furniture or walking.in_figure):
                    pieces.append(_Piece("paragraph", walking.element))
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in NO_TEXT:
            continue  # a comment, a script: nothing to read inside
        entered = _Walking(child, iter(child),
                           in_furniture=walking.in_furniture or tag in FURNITURE,
                           in_figure=walking.in_figure or tag in FIGURES)
        if not entered.in_furniture:
            if tag in HEADINGS and not entered.in_figure:
                pieces.append(_Piece("heading", child))
            elif tag == "time":
                pieces.append(_Piece("time", child))
            elif tag == "figcaption":
                pieces.append(_Piece("caption", child))
        if tag in PARAGRAPH_BLOCKS:
            if blocks:
                blocks[-1].holds_block = True
            blocks.append(entered)
        stack.append(entered)
    return pieces


def _text(element: HtmlElement, *, skipped: frozenset[str] = NO_TEXT) -> str:
    """An element's text: <br> a line break, comments and ``skipped`` elements left out
    (their tails kept). Walked with a stack: deep markup must not exhaust Python's."""
    parts = [element.text or ""]
    stack = [(iter(element), "")]  # children to visit, the text after them
    while stack:
        children, tail = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            parts.append(tail)
        elif isinstance(child.tag, str) and child.tag not in skipped:
            parts.append("\n" if child.tag == "br" else child.text or "")
            stack.append((iter(child), child.tail or ""))
        else:  # a comment, a processing instruction, a script
            parts.append(child.tail or "")
    return "".join(parts)


def _paragraph_text(block: HtmlElement) -> str:
    return _text(block, skipped=NO_TEXT | HEADINGS_SET)  # a heading is no paragraph


def _read_piece(draft: _PostDraft, piece: _Piece) -> None:
    """A caption or a paragraph into the post it belongs to."""
    if piece.kind == "caption":
        draft.add_captions(_text(piece.element))
    elif piece.kind == "paragraph":
        draft.add_paragraphs(_paragraph_text(piece.element))


def _word_count(posts: tuple[StorySegment, ...]) -> int:
    return sum(len(post.text.split()) for post in posts)


# --------------------------------------------------------------------------- <article> per post


def article_posts(tree: HtmlElement) -> tuple[StorySegment, ...]:
    """Posts from repeated <article> elements: the innermost ones, outside asides,
    navigation, headers and footers, grouped by the element holding them; the group
    with the most text wins, so teasers in a list of their own do not join the posts."""
    groups: dict[HtmlElement, list[StorySegment | None]] = {}
    for article in tree.iter("article"):
        if next(article.iterdescendants("article"), None) is not None:
            continue  # not innermost: the articles it holds are read instead
        if any(ancestor.tag in NOT_POST_CONTAINERS for ancestor in article.iterancestors()):
            continue
        groups.setdefault(_holder(article), []).append(_article_post(article))
    candidates = [_real_posts(posts) for posts in groups.values()]
    return max(candidates, key=_word_count, default=())


def _holder(article: HtmlElement) -> HtmlElement:
    """The element that holds an article beside its siblings, above wrappers that hold
    nothing else (<li>, a <div> per post)."""
    holder = article.getparent()
    while holder is not None and len(holder) == 1 and holder.getparent() is not None:
        holder = holder.getparent()
    return holder


def _article_post(article: HtmlElement) -> StorySegment | None:
    pieces = _pieces(article)
    heading = next((p.element for p in pieces if p.kind == "heading"), None)
    if heading is not None and _links_away(heading):
        return None  # a teaser: its heading leads to another page
    times = (iso_time(p.element.get("datetime")) for p in pieces if p.kind == "time")
    draft = _PostDraft(headline=_text(heading) if heading is not None else "",
                       published=next((time for time in times if time), None))
    for piece in pieces:
        _read_piece(draft, piece)
    return draft.freeze()


def _links_away(heading: HtmlElement) -> bool:
    """A heading inside or around a link to another page (not an anchor on this one)."""
    links = [*heading.iter("a"), *heading.iterancestors("a")]
    return any("#" not in (link.get("href") or "#") for link in links)


# --------------------------------------------------------------------------- live-blog containers


def container_posts(tree: HtmlElement) -> tuple[StorySegment, ...]:
    """Posts from a live-blog container, each starting at a heading. Of nested
    containers the innermost with enough posts is read (an outer one may hold a
    sidebar); of separate ones, the one with the most text. Only the first
    MAX_CONTAINERS are read: each is a walk of its whole content."""
    candidates = (element for element in tree.iter()
                  if isinstance(element.tag, str) and _is_live_container(element))
    found: dict[HtmlElement, tuple[StorySegment, ...]] = {}
    # inner ones first (in document order an element comes before what it holds), so
    # that a container holding one already read is skipped, not walked
    for container in reversed(list(itertools.islice(candidates, MAX_CONTAINERS))):
        if any(container in read.iterancestors() for read in found):
            continue
        if posts := _heading_posts(container):
            found[container] = posts
    return max(found.values(), key=_word_count, default=())


def _is_live_container(element: HtmlElement) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''}".casefold()
    return any(fragment in names for fragment in _container_fragments())


def _post_heading_level(pieces: list[_Piece]) -> str | None:
    """The highest heading level used at least MIN_POSTS times: one heading per post
    (lower ones are sub-headings inside posts)."""
    levels = Counter(p.element.tag for p in pieces if p.kind == "heading")
    return next((level for level in HEADINGS if levels[level] >= MIN_POSTS), None)


def _heading_posts(container: HtmlElement) -> tuple[StorySegment, ...]:
    pieces = _pieces(container)
    level = _post_heading_level(pieces)
    if level is None:
        return ()
    drafts: list[_PostDraft] = []
    pending_time = None  # a time written before its post's heading
    for piece in pieces:
        current = drafts[-1] if drafts else None
        if piece.kind == "heading" and piece.element.tag == level:
            drafts.append(_PostDraft(headline=_text(piece.element), published=pending_time))
            pending_time = None
        elif piece.kind == "time":
            published = iso_time(piece.element.get("datetime"))
            if current is not None and not current.paragraphs and current.published is None:
                current.published = published  # the time under its post's heading
            else:
                pending_time = published or pending_time
        elif current is not None:  # before the first heading: an introduction, no post
            _read_piece(current, piece)
    return _real_posts(draft.freeze() for draft in drafts)
