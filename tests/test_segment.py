"""Page -> stories. Cases are the repo's own sentences; the reference page is read from ../shared."""

from __future__ import annotations

import pytest

from lib.segment import is_furniture, looks_like_headline, split_stories

ARTICLE = """Council votes to reopen the old harbour bridge

The city council voted on Tuesday to reopen the bridge to cyclists.

"It is a good day for the town," said councillor Ann Reid.
"""

PAGE = """Skip to main content

Council votes to reopen the old harbour bridge

Cyclists wait at the closed bridge
Cyclists wait at the closed bridge

The city council voted on Tuesday to reopen the bridge to cyclists after a long campaign.

"It is a good day for the town," said councillor Ann Reid.

Storm warning issued for northern coast tonight

Forecasters issued an amber warning for wind along the northern coast on Monday evening.

Latest Scotland stories
"""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Skip to main content", True),
        ("Latest Ukraine stories", True),
        ("Share", True),
        ("Image source, Getty Images", True),
        ("The council said latest stories would be published next week in the local paper.", False),
        ("Council votes to reopen the old harbour bridge", False),
    ],
)
def test_is_furniture(line, expected):
    assert is_furniture(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Foreign troops would be 'legitimate targets' - minister", True),
        ("Storm warning issued for northern coast tonight", True),
        ("The council voted on Tuesday to reopen the bridge.", False),  # a sentence
        ("Newcastle v Chelsea", False),  # a fixture
        ("1600 GMT", False),
        ("and then the rest of the sentence", False),  # lower case: a broken line
        ("Barcelona, Bayern Munich, Porto, Real Madrid", False),  # a list
    ],
)
def test_looks_like_headline(line, expected):
    assert looks_like_headline(line) is expected


def test_one_article_file_is_one_story():
    stories = split_stories(ARTICLE)
    assert [s.headline for s in stories] == ["Council votes to reopen the old harbour bridge"]
    assert len(stories[0].paragraphs) == 2
    assert stories[0].captions == ()


def test_page_splits_into_stories_and_drops_furniture():
    stories = split_stories(PAGE)
    assert [s.headline for s in stories] == [
        "Council votes to reopen the old harbour bridge",
        "Storm warning issued for northern coast tonight",
    ]
    # The doubled caption line is one caption, never a paragraph or a headline.
    assert stories[0].captions == ("Cyclists wait at the closed bridge",)
    assert all("Skip to main" not in p and "Latest" not in p for s in stories for p in s.paragraphs)


def test_article_subheads_do_not_split_a_plain_article():
    text = ARTICLE + "\nNewcastle v Chelsea\n\nA short line that reads like a headline\n\nThe match kicks off at three o'clock on Saturday afternoon.\n"
    assert len(split_stories(text)) == 1


def test_bullet_list_is_body_text_not_captions():
    text = "Budget at a glance\n\nThe minister set out the plans.\n\n- More money for schools\n- A freeze on fuel duty\n"
    (story,) = split_stories(text)
    assert story.captions == ()
    assert "- A freeze on fuel duty" in story.paragraphs


@pytest.mark.parametrize(("block", "caption"), [
    # a quote signed on the line below it (a quote gallery) is body text
    ("“We deserve better from our leaders.”\n― Ana Ruiz", False),
    ('"The town needs the bridge back."\n— Tom Baker, Leeds', False),
    ("“We deserve better.”\n-- Ana Ruiz", False),
    # an image's alt text and its credit stay a caption
    ("Cyclists wait at the closed bridge\n― Getty Images", True),
    ("Cyclists wait at the closed bridge\nCyclists wait at the closed bridge", True),
])
def test_signed_quote_is_body_text_not_a_caption(block, caption):
    text = f"Readers on the bridge\n\nWe asked readers what they think of the plan.\n\n{block}\n"
    (story,) = split_stories(text)
    lines = tuple(block.split("\n"))
    assert (story.captions == lines[:1] or story.captions == lines) is caption, story
    assert all(line in story.paragraphs for line in lines) is not caption, story


def test_title_heads_text_without_headline_line():
    (story,) = split_stories("The first paragraph of the story ends here.\nA second paragraph follows it.", title="Metadata title")
    assert story.headline == "Metadata title"
    assert len(story.paragraphs) == 2


@pytest.mark.parametrize("text", ["", "\n\n\n", "Skip to main content\n\nShare"])
def test_empty_or_furniture_only_page_has_no_story(text):
    assert split_stories(text) == []


def test_reference_page_has_its_three_stories(reference_page_path):
    stories = split_stories(reference_page_path.read_text(encoding="utf-8"))
    assert [s.headline for s in stories] == [
        "Foreign troops in Ukraine would be 'legitimate targets' - Russia",
        "Russian strikes plunge Ukraine's industrial southeast into blackouts",
        "Russia frees French researcher Vinatier in prisoner exchange",
    ]
    captions = [c for s in stories for c in s.captions]
    paragraphs = [p for s in stories for p in s.paragraphs]
    assert len(captions) == 7  # doubled caption lines kept once
    assert not set(captions) & set(paragraphs)
    assert not any("skip to main content" in p.lower() or "Latest Ukraine" in p for p in paragraphs)


def test_bbc_articles_are_one_story_each(shared_dir):
    files = sorted((shared_dir / "data" / "bbc").glob("*/*.txt"))
    if not files:
        pytest.skip("BBC corpus is absent")
    counts = [len(split_stories(f.read_bytes().decode("utf-8", "replace"))) for f in files]
    assert counts.count(1) == len(files)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("says the\u00a0Republican", "says the Republican"),
        ("10\u202f000 and 5\u2009km", "10 000 and 5 km"),
        ("plain text", "plain text"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),  # only the odd spaces change
    ],
)
def test_plain_spaces_keep_offsets(text, expected):
    from lib.segment import plain_spaces

    assert plain_spaces(text) == expected
    assert len(plain_spaces(text)) == len(text)
