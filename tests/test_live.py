"""Live pages: a live blog's posts as stories, from JSON-LD or markup; other pages stay one."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from lib import live, query
from lib.live import fallback_headline, iso_time, live_posts, might_be_live
from lib.model import SourceDocument
from lib.pipeline import parse_document
from lib.query import Filters
from lib.sources import content_hash, read_file, source_from_bytes
from lib.store import Store

PAGES = Path(__file__).resolve().parent / "data" / "live"

# page -> (headline, published, paragraphs, captions) of each story it gives; () for a page
# that is not live (one story, cut from trafilatura's text as before)
EXPECTED = {
    "json_ld.html": [  # JSON-LD wins over the page's own (shorter) markup
        ("Ferries cancelled for the rest of the day", "2025-03-04T10:15:00+00:00",
         ("All ferries between the islands are cancelled until Wednesday morning, the "
          "operator said.",
          '"Nobody sails in winds like these," harbour master Tom Reilly told reporters at '
          "the pier."),  # "Share" dropped as furniture
         ("Waves break over the pier at Northport",)),
        # no headline: its first sentence; the post with no text is left out
        ("Power has been cut to about 4,000 homes on the north coast",
         "2025-03-04T09:40:00+00:00",
         ("Power has been cut to about 4,000 homes on the north coast. Engineers will start "
          "repairs once the wind drops.",), ()),
        ("Schools close early & buses stop", "2025-03-04T08:05:00+01:00",
         ("Schools across the county closed at noon & the last buses left at one o’clock.",
          "Parents were asked to collect their children from the main gates."), ()),
    ],
    "json_ld_graph.html": [  # in @graph, "@type" a list, articleBody in <p>s; the page's order
        ("Turnout up in the capital", "2025-05-01T22:30:00+01:00",
         ("Turnout in the capital reached 64 per cent, the electoral office said.",
          "That is four points higher than at the last election."), ()),
        ("First result declared", "2025-05-01T23:10:00+01:00",
         ("The first seat of the night went to the Green candidate Maria Lind by 312 votes.",),
         ("Maria Lind at the count",)),
        ("Polls have closed", "2025-05-01T22:00:00+01:00",
         ("Polling stations closed at ten o'clock and the counting of votes has begun.",), ()),
    ],
    "articles.html": [  # one <article> per post; the teasers in the aside are no posts
        ("Winner crosses the line in record time", "2025-04-06T12:45:00+01:00",
         ("Kenyan runner Joyce Wanjiru won the women's race in two hours and seventeen "
          "minutes, a course record.",
          '"The crowd carried me over the last mile," Wanjiru said after the finish.'),
         ("Joyce Wanjiru breaks the tape on the Embankment",)),
        ("Roads reopen in the east of the city", "2025-04-06T11:30:00+01:00",
         ("Police said the roads closed for the early miles of the course have reopened to "
          "traffic.",), ()),
        ("Runners set off from the park", "2025-04-06T09:00:00+01:00",
         ("More than 40,000 runners started the race from Victoria Park in cool, dry weather "
          "this morning.",), ()),
    ],
    "headings.html": [  # an <h2> per post in a live-blog container; the time before it
        ("Fuel duty frozen for another year", "2025-10-29T14:05:00+00:00",
         ("The finance minister Helen Carr said fuel duty would stay at its current rate "
          "until next autumn.",
          "Motoring groups welcomed the freeze but said pump prices were still too high."),
         ()),
        ("Minister rises to speak", "2025-10-29T13:40:00+00:00",
         ("Helen Carr has begun her budget statement to a packed chamber.",),
         ("Helen Carr in the chamber",)),
        ("Protest outside parliament", "2025-10-29T13:00:00+00:00",
         ("Several hundred teachers gathered outside parliament to call for higher pay "
          "before the statement.",), ()),
    ],
    "article.html": (),  # an ordinary article with sub-headings
    "article_with_teasers.html": (),  # one <article> and teaser <article>s
}


def as_tuples(stories) -> list[tuple]:
    return [(s.headline, s.published, tuple(s.paragraphs), tuple(s.captions)) for s in stories]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_page_gives_its_posts_as_stories(name):
    document = read_file(str(PAGES / name))
    assert isinstance(document, SourceDocument), document
    assert as_tuples(document.stories) == list(EXPECTED[name])
    # the text holds every post: the hash and the caps are taken of the whole page
    for story in document.stories:
        for line in (story.headline, *story.paragraphs, *story.captions):
            assert line in document.text
    assert document.content_hash == content_hash(document.text)


def test_the_page_metadata_is_kept():
    document = read_file(str(PAGES / "articles.html"))
    assert (document.title, document.outlet, document.date, document.kind) == (
        "Marathon day: live updates", "Riverside Echo", "2025-04-06", "html")


def test_an_upload_of_a_live_page_gives_its_posts():
    data = (PAGES / "json_ld_graph.html").read_bytes()
    for name in ("election.html", "pasted"):  # by its name, or sniffed as HTML
        document = source_from_bytes(name, data)
        assert [s.headline for s in document.stories] == [
            "Turnout up in the capital", "First result declared", "Polls have closed"]


def test_an_ordinary_article_keeps_its_text_as_before():
    document = read_file(str(PAGES / "article.html"))
    assert document.stories == ()
    assert document.text.startswith("Harbour workers end strike\n\nDock workers at the")


def test_a_reader_that_trips_leaves_the_page_one_story(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("unexpected markup")

    monkeypatch.setattr(live, "live_posts", broken)
    document = read_file(str(PAGES / "articles.html"))
    assert isinstance(document, SourceDocument) and document.stories == ()
    assert "Joyce Wanjiru" in document.text


# --------------------------------------------------------------------------- JSON-LD shapes


def post(headline: str | None, body: str, **extra) -> dict:
    update = {"@type": "BlogPosting", "articleBody": body, **extra}
    if headline is not None:
        update["headline"] = headline
    return update


BODY = "The mayor said the bridge would stay closed until the engineers had finished."
UPDATES = [post("Bridge stays shut", BODY, datePublished="2025-01-02T10:00:00Z"),
           post("Engineers arrive", BODY.replace("mayor", "council"))]
LIVE = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "liveBlogUpdate": UPDATES}
HEADLINES = ["Bridge stays shut", "Engineers arrive"]


def page(*scripts: str, body: str = "<p>Follow the latest news with us.</p>") -> bytes:
    head = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def tree_of(data: bytes):
    return lxml.html.fromstring(data)


@pytest.mark.parametrize(("scripts", "headlines"), [
    ([json.dumps(LIVE)], HEADLINES),
    ([json.dumps({"@graph": [{"@type": "WebPage"}, LIVE]})], HEADLINES),
    ([json.dumps([{"@type": "Organization", "name": "Gazette"}, LIVE])], HEADLINES),
    ([json.dumps({**LIVE, "@type": ["NewsArticle", "LiveBlogPosting"]})], HEADLINES),
    ([json.dumps({**LIVE, "@type": "http://schema.org/LiveBlogPosting"})], HEADLINES),
    ([json.dumps({"@type": "WebPage", "mainEntity": LIVE})], HEADLINES),
    (["<!--" + json.dumps(LIVE) + "-->"], HEADLINES),
    ([json.dumps(LIVE) + ";"], HEADLINES),
    # raw newlines inside a string, as some CMSs write articleBody
    ([json.dumps(LIVE).replace("until the", "until\\nthe").replace("\\n", "\n")], HEADLINES),
    (["{not json", json.dumps(LIVE)], HEADLINES),  # a broken block before is skipped
    ([json.dumps({"@type": "NewsArticle", "headline": "One story", "articleBody": BODY})], []),
    (["{not json"], []),
    (["[" * 100_000], []),  # deeper than Python's stack
    ([json.dumps({**LIVE, "liveBlogUpdate": UPDATES[0]})], []),  # one post: not live
    ([json.dumps({**LIVE, "liveBlogUpdate": "two posts"})], []),
    ([json.dumps({**LIVE, "liveBlogUpdate": [UPDATES[0], post("Empty", " \n ")]})], []),
    ([json.dumps({**LIVE, "liveBlogUpdate": [post("Short", "Bridge shut."),
                                             post("Shorter", "Still shut.")]})], []),
    ([json.dumps({**LIVE, "liveBlogUpdate": [{**u, "articleBody": 42} for u in UPDATES]})], []),
    ([json.dumps({**LIVE, "@type": "LiveBlogPostingX"})], []),
], ids=["object", "@graph", "list", "@type list", "@type URL", "mainEntity",
        "in a comment", "trailing semicolon", "raw newline", "after a broken block",
        "NewsArticle", "malformed", "too deep", "one update", "updates a string",
        "one with text", "too little text", "body not a string", "another type"])
def test_json_ld_shapes(scripts, headlines):
    assert [p.headline for p in live.json_ld_posts(tree_of(page(*scripts)))] == headlines


@pytest.mark.parametrize(("body", "paragraphs"), [
    ("First line of the post here.\nSecond line of the post here.",
     ("First line of the post here.", "Second line of the post here.")),
    ("Rates &amp; fares rose by 5&#37; on Monday, the operator&#8217;s board said today.",
     ("Rates & fares rose by 5% on Monday, the operator’s board said today.",)),
    ("&lt;p&gt;Escaped markup in the post body is read.&lt;/p&gt;&lt;p&gt;Twice.&lt;/p&gt;",
     ("Escaped markup in the post body is read.", "Twice.")),
    ("<p>Markup in <b>the</b> post body<br>is read as lines.</p>",
     ("Markup in the post body", "is read as lines.")),
    ("A line of the post with\u00a0odd spaces in it.\n\nShare this article\nRead more",
     ("A line of the post with odd spaces in it.",)),
])
def test_article_body_as_paragraphs(body, paragraphs):
    updates = [post("A headline", body), post("Another", BODY)]
    [first, _] = live.json_ld_posts(tree_of(page(json.dumps({**LIVE, "liveBlogUpdate": updates}))))
    assert first.paragraphs == paragraphs


def test_an_image_list_gives_captions_once_and_times_are_iso():
    image = [{"caption": "The bridge at dawn"}, {"caption": "The bridge at dawn"}, "x.jpg"]
    updates = [post("Bridge", BODY, image=image, datePublished="2025-01-02T10:00:00.000Z"),
               post("Later", BODY, datePublished="yesterday"),
               post("Day", BODY, dateCreated="2025-01-02")]
    posts = live.json_ld_posts(tree_of(page(json.dumps({**LIVE, "liveBlogUpdate": updates}))))
    assert [p.captions for p in posts] == [("The bridge at dawn",), (), ()]
    assert [p.published for p in posts] == ["2025-01-02T10:00:00+00:00", None, "2025-01-02"]


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-03-04T10:15:00Z", "2025-03-04T10:15:00+00:00"),
    ("2025-03-04T10:15:00+01:00", "2025-03-04T10:15:00+01:00"),
    ("2025-03-04T10:15", "2025-03-04T10:15:00"),
    ("2025-03-04", "2025-03-04"),
    (" 2025-03-04T10:15:00Z ", "2025-03-04T10:15:00+00:00"),
    ("10:15 GMT", None), ("4 March 2025", None), ("", None), (None, None), (20250304, None),
    ("2025-03-04T10:15:00Z" + " " * 100 + "x", None),
])
def test_iso_time(value, expected):
    assert iso_time(value) == expected


@pytest.mark.parametrize(("paragraph", "headline"), [
    ("Police have closed the bridge. More soon.", "Police have closed the bridge"),
    ("Is the bridge open yet? Not before noon.", "Is the bridge open yet?"),
    ('"We are ready," the mayor said. Then she left.', '"We are ready," the mayor said'),
    ("Mr. Smith has resigned from the board. He said so.", "Mr. Smith has resigned from the board"),
    ("One two three four five six seven eight nine ten eleven twelve thirteen fourteen.",
     "One two three four five six seven eight nine ten eleven twelve…"),
    ("No full stop at the end", "No full stop at the end"),
])
def test_fallback_headline(paragraph, headline):
    assert fallback_headline(paragraph) == headline


# --------------------------------------------------------------------------- markup shapes


POST = "<p>The council said the road would reopen on Friday after the repairs were done.</p>"


def articles_page(*articles: str, around: str = "<main>{}</main>") -> bytes:
    return page(body=around.format("".join(articles)))


@pytest.mark.parametrize(("data", "headlines"), [
    (articles_page(f"<article><h2>Road to reopen</h2>{POST}</article>",
                   f"<article><h2>Repairs begin</h2>{POST}</article>"),
     ["Road to reopen", "Repairs begin"]),
    # an outer <article> holding the posts; each post in a wrapper of its own
    (articles_page(f"<div><article><h3>Road to reopen</h3>{POST}</article></div>",
                   f"<div><article><h3>Repairs begin</h3>{POST}</article></div>",
                   around="<article><h1>Live</h1>{}</article>"),
     ["Road to reopen", "Repairs begin"]),
    (articles_page(f"<li><article><h2>Road to reopen</h2>{POST}</article></li>",
                   f"<li><article><h2>Repairs begin</h2>{POST}</article></li>",
                   around="<ol>{}</ol>"),
     ["Road to reopen", "Repairs begin"]),
    # a permalink on this page in the heading is no teaser's link
    (articles_page(f'<article><h2><a href="#p1">Road to reopen</a></h2>{POST}</article>',
                   f"<article>{POST}</article>"),
     ["Road to reopen", "The council said the road would reopen on Friday after the repairs…"]),
    (articles_page(f"<article><h1>Road to reopen</h1>{POST * 4}<h2>Background</h2>{POST}"
                   "</article>"), []),
    (articles_page(f"<article><h1>Road to reopen</h1>{POST * 3}</article>",
                   '<article><h3><a href="/a">Teaser one</a></h3></article>',
                   '<article><h3><a href="/b">Teaser two</a></h3></article>'), []),
    (articles_page(f"<article><h1>Road to reopen</h1>{POST * 3}</article>",
                   f'<article><h3><a href="/a">Teaser one</a></h3>{POST}</article>',
                   f'<article><h3><a href="/b">Teaser two</a></h3>{POST}</article>'), []),
    (articles_page(f"<article><h1>Road to reopen</h1>{POST * 3}</article>",
                   around="<main>{}</main><aside>"
                          f"<article><h3>Teaser one</h3>{POST}</article>"
                          f"<article><h3>Teaser two</h3>{POST}</article></aside>"), []),
    (articles_page("<article><h2>Road</h2><p>Shut today.</p></article>",
                   "<article><h2>Repairs</h2><p>Begin soon.</p></article>"), []),
], ids=["siblings", "wrapped in an outer article", "in a list", "permalink and no heading",
        "one article", "teasers without text", "teasers with linked headings",
        "teasers in an aside", "too little text"])
def test_article_markup(data, headlines):
    assert [p.headline for p in live.article_posts(tree_of(data))] == headlines


def test_what_a_post_in_markup_reads():
    article = ("<article><h2>Road <em>to</em> reopen</h2>"
               "<p>The council said <b>the road</b> would reopen<br>on Friday.<!-- ad --> Next"
               "<script>var tracking = 1;</script> week, perhaps.</p>"
               "<ul><li>A bullet point of the post</li><li><p>A paragraph in a bullet</p></li>"
               "<li><h3>Heading in a list</h3> and its text</li></ul>"
               "<figure><img alt=''><p>Photo: agency</p><figcaption>The road today"
               "</figcaption></figure><aside><p>Related: other roads</p></aside>"
               "<footer><p>Share this post</p></footer>"
               "<blockquote>A quoted post from someone on the scene today.</blockquote></article>")
    data = articles_page(article, f"<article><h2>Repairs begin</h2>{POST}</article>")
    first, _ = live.article_posts(tree_of(data))
    assert first.headline == "Road to reopen"
    assert first.paragraphs == (
        "The council said the road would reopen", "on Friday. Next week, perhaps.",
        "A bullet point of the post", "A paragraph in a bullet", "and its text",
        "A quoted post from someone on the scene today.")
    assert first.captions == ("The road today",)


@pytest.mark.parametrize(("body", "expected"), [
    # time after the heading
    ('<div class="liveblog-feed"><h2>Road to reopen</h2><time datetime="2025-01-02T10:00Z">'
     f'10:00</time>{POST}<h2>Repairs begin</h2><time datetime="2025-01-02T09:00Z"></time>'
     f"{POST}</div>",
     [("Road to reopen", "2025-01-02T10:00:00+00:00"),
      ("Repairs begin", "2025-01-02T09:00:00+00:00")]),
    # the innermost container; an aside's heading inside it opens no post
    (f'<div id="live-coverage"><div class="live-updates"><h3>Road to reopen</h3>{POST}'
     f"<aside><h3>Related</h3><p>Other news about roads and bridges in the county.</p></aside>"
     f"{POST}<h3>Repairs begin</h3>{POST}</div><h3>Newsletter</h3>{POST}</div>",
     [("Road to reopen", None), ("Repairs begin", None)]),
    (f'<div class="live-blog"><h2>Road to reopen</h2>{POST}</div>', []),  # one post
    (f'<div class="blog"><h2>Road to reopen</h2>{POST}<h2>Repairs begin</h2>{POST}</div>', []),
])
def test_container_markup(body, expected):
    posts = live.container_posts(tree_of(page(body=body)))
    assert [(p.headline, p.published) for p in posts] == expected


def test_the_innermost_of_nested_containers_is_read():
    """The innermost container with posts is read; deep nesting costs no recursion."""
    posts = f"<h2>Road to reopen</h2>{POST}<h2>Repairs begin</h2>{POST}"
    body = '<div class="liveblog">' * 250 + posts + "</div>" * 250
    found = live.container_posts(tree_of(page(body=body)))
    assert [p.headline for p in found] == ["Road to reopen", "Repairs begin"]


POST_TEXT = "The council said the road would reopen on Friday after the repairs were done."


@pytest.mark.parametrize(("main_text", "is_live"), [
    (f"{POST_TEXT}\n{POST_TEXT}", True),
    (f"Road to reopen\n{POST_TEXT}", True),  # the same passage in both posts
    (POST_TEXT.upper().replace(" ", "  "), True),  # spacing and case aside
    (f"{POST_TEXT}\n{BODY * 5}", False),  # the posts are a small part of the main text
    (BODY, False),  # the posts are not the main text
    ("", False),
])
def test_posts_from_markup_must_be_the_main_text(main_text, is_live):
    data = articles_page(f"<article><h2>Road to reopen</h2>{POST}</article>",
                         f"<article><h2>Repairs begin</h2>{POST}</article>")
    assert len(live_posts(tree_of(data), main_text=main_text)) == (2 if is_live else 0)


def test_more_stories_beside_an_article_stay_out():
    """Unlinked teasers with a summary each, in a section of their own: the article's
    text outweighs them, so the page stays one story."""
    article = ("<article><h1>Library reopens after fire</h1>"
               + "".join(f"<p>{sentence} {BODY}</p>" for sentence in ("One.", "Two.", "Three.",
                                                                     "Four.", "Five.")) +
               "</article>")
    teasers = "".join(f"<article><h3>Teaser {n}</h3>{POST}</article>" for n in range(3))
    data = page(body=f"<main>{article}<section>{teasers}</section></main>")
    assert source_from_bytes("page.html", data).stories == ()


@pytest.mark.parametrize(("data", "expected"), [
    (b'<script type="application/ld+json">{"@type": "LiveBlogPosting"}</script>', True),
    (b"<article><p>a</p></article><ARTICLE class='x'><p>b</p></ARTICLE>", True),
    (b'<div class="c-LiveBlog__feed">', True),
    (b"<div id='live-updates'>", True),
    (b"<article><p>One article</p></article><articles>", False),
    (b'<a href="/live" class="nav-live">Live</a><p>Alive and delivered</p>', False),
], ids=["JSON-LD", "two articles", "container class", "container id", "one article",
        "live in a link"])
def test_might_be_live(data, expected):
    assert might_be_live(data) is expected


# --------------------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def parsed_live(nlp):
    return parse_document(read_file(str(PAGES / "json_ld.html")), nlp)


def test_the_parse_gives_one_story_per_post(parsed_live):
    assert parsed_live.title == "Live: Storm Ada crosses the coast"
    assert as_tuples(parsed_live.stories) == EXPECTED["json_ld.html"]
    ferries = parsed_live.stories[0]
    assert ("Tom Reilly", "direct") in [(q.speaker, q.kind) for q in ferries.quotes]
    assert ferries.to_json()["published"] == "2025-03-04T10:15:00+00:00"


@pytest.mark.parametrize("name", ["articles.html", "headings.html", "article.html",
                                  "article_with_teasers.html"])
def test_the_parse_of_every_page(nlp, name):
    parsed = parse_document(read_file(str(PAGES / name)), nlp)
    expected = EXPECTED[name]
    if expected:
        assert as_tuples(parsed.stories) == expected
    else:  # cut by lib.segment, as before: one story
        assert len(parsed.stories) == 1 and parsed.stories[0].published is None


def test_the_published_time_is_stored_and_shown(parsed_live):
    with Store(":memory:") as store, store.cursor() as cursor:
        store.add([parsed_live])
        detail = query.story_detail(cursor, Filters(), f"{parsed_live.doc_id}:2")
        assert (detail.headline, detail.published) == ("Schools close early & buses stop",
                                                       "2025-03-04T08:05:00+01:00")
