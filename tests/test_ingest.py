"""Ingest: parse only what is new, write batch by batch, resume, survive bad documents."""

from __future__ import annotations

import pytest

from lib import ingest as ingest_module
from lib import pipeline, query
from lib.ingest import IngestSummary, ingest
from lib.model import Entity, ParsedDocument, SourceDocument, SourceError, Story
from lib.sources import content_hash
from lib.store import Store

ARTICLE = """Council approves new bridge {n}

The city council voted on Tuesday to build a new bridge across the river, ending a debate of ten years.

"This bridge will join two halves of the city," mayor Lena Hartmann told reporters after the vote.
"""


def write_corpus(folder, count: int) -> list[str]:
    folder.mkdir(exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{n:02d}.txt"
        path.write_text(ARTICLE.format(n=n), encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.fixture
def parsed_sources(monkeypatch):
    """Spy on the parse: the sources of every batch handed to it, in this process."""
    calls: list[list[str]] = []
    real = ingest_module.parse_batch

    def spy(sources):
        calls.append([source.source for source in sources])
        return real(sources)

    monkeypatch.setattr(ingest_module, "parse_batch", spy)
    return calls


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "news.duckdb") as opened:
        yield opened


def test_ingest_counts_and_links(tmp_path, store, parsed_sources):
    paths = write_corpus(tmp_path / "corpus", 3)
    seen = []
    summary = ingest([str(tmp_path / "corpus")], store, workers=1, batch_size=2,
                     progress=lambda done, total: seen.append((done, total)))
    assert isinstance(summary, IngestSummary)
    assert (summary.inputs, summary.documents, summary.parsed) == (3, 3, 3)
    assert summary.skipped_known == summary.repeats == 0
    assert summary.stories == 3 and summary.failures == []
    assert sorted(parsed_sources) == [paths[:2], paths[2:]]
    assert seen[-1] == (3, 3)
    assert len(store.document_ids("demo")) == 3


def test_re_ingest_unchanged_parses_nothing(tmp_path, store, parsed_sources):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 4)
    ingest([str(corpus)], store, workers=1)
    parsed_sources.clear()
    summary = ingest([str(corpus)], store, workers=1, collection="second")
    assert parsed_sources == []
    assert (summary.parsed, summary.skipped_known, summary.documents) == (0, 4, 4)
    assert summary.stories == 4  # the totals still describe the whole input
    assert store.document_ids("second") == store.document_ids("demo")


def test_changed_file_alone_is_re_parsed(tmp_path, store, parsed_sources):
    paths = write_corpus(tmp_path / "corpus", 3)
    ingest([str(tmp_path / "corpus")], store, workers=1)
    parsed_sources.clear()
    with open(paths[1], "a", encoding="utf-8") as handle:
        handle.write("\nThe work starts in the spring, the council said.\n")
    summary = ingest([str(tmp_path / "corpus")], store, workers=1)
    assert parsed_sources == [[paths[1]]]
    assert (summary.parsed, summary.skipped_known) == (1, 2)
    assert len(store.document_ids("demo")) == 3  # the old version left the collection


# Invented pages and what the tagger is made to say about them: a full name, the
# surname alone in another page, and a club tagged PERSON.
TAGGED_PAGES = {
    "Lena Hartmann opened the bridge.": [("Lena Hartmann", "PERSON", "Lena Hartmann")],
    "Hartmann said the bridge was late.": [("Hartmann", "PERSON", "Hartmann")],
    "Rovington United played near the bridge.": [
        ("Rovington United", "PERSON", "Rovington United")],
}


def parse_as_tagged(sources: list[SourceDocument]) -> list[ParsedDocument]:
    parsed = []
    for source in sources:
        entities = [Entity(text, label, canonical, source.text.index(text),
                           source.text.index(text) + len(text))
                    for text, label, canonical in TAGGED_PAGES[source.text]]
        story = Story(source.text, [source.text], [], entities, [])
        parsed.append(ParsedDocument(source.content_hash, source.source, source.text, [story]))
    return parsed


def test_people_are_counted_as_the_dashboard_counts_them(tmp_path, store, monkeypatch):
    monkeypatch.setattr(ingest_module, "parse_batch", parse_as_tagged)
    for n, text in enumerate(TAGGED_PAGES):
        (tmp_path / f"{n}.txt").write_text(text, encoding="utf-8")
    summary = ingest([str(tmp_path)], store, workers=1, collection="mine")
    with store.cursor() as cursor:
        figures = query.corpus_figures(cursor, query.Filters(collections=("mine",)))
    # "Hartmann" is Lena Hartmann and the club is no person: one person, not three
    assert summary.people == figures["people"] == 1
    # a later run counts its own documents, as the dashboard would count them
    (tmp_path / "0.txt").unlink()
    again = ingest([str(tmp_path)], store, workers=1, collection="mine")
    assert (again.skipped_known, again.people) == (2, 1)


class Interrupted(Exception):
    pass


def test_resume_after_interruption(tmp_path, store, parsed_sources):
    paths = write_corpus(tmp_path / "corpus", 6)

    def stop_after_first_batch(done, total):
        raise Interrupted

    with pytest.raises(Interrupted):
        ingest(paths, store, workers=1, batch_size=2, progress=stop_after_first_batch)
    assert store.known(content_hash(open(p).read().strip()) for p in paths) == {
        content_hash(open(p).read().strip()) for p in paths[:2]
    }
    assert parsed_sources == [paths[:2]]  # written as soon as parsed
    parsed_sources.clear()
    summary = ingest(paths, store, workers=1, batch_size=2)
    assert parsed_sources == [paths[2:4], paths[4:6]]
    assert (summary.parsed, summary.skipped_known, summary.documents) == (4, 2, 6)


def test_duplicates_in_one_run_are_parsed_once(tmp_path, store, parsed_sources):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(ARTICLE.format(n=1))
    second.write_text(ARTICLE.format(n=1))
    summary = ingest([str(first), str(second)], store, workers=1)
    assert parsed_sources == [[str(first)]]
    assert (summary.documents, summary.parsed, summary.skipped_known, summary.repeats) == (
        1, 1, 0, 1)


def test_bad_inputs_fail_alone(tmp_path, store):
    paths = write_corpus(tmp_path / "corpus", 2)
    binary = tmp_path / "corpus" / "zz.txt"
    binary.write_bytes(b"\x00\x01" * 100)
    reported = []
    summary = ingest([str(tmp_path / "corpus"), str(tmp_path / "missing.txt")], store,
                     workers=1, on_failure=reported.append)
    assert summary.parsed == 2
    assert [failure.source for failure in summary.failures] == [
        str(binary), str(tmp_path / "missing.txt")]
    assert reported == summary.failures
    assert len(paths) == summary.documents


def test_a_document_that_breaks_the_parse_fails_alone(tmp_path, store, monkeypatch):
    real = pipeline.parse_documents

    def fragile(sources, nlp, **kwargs):
        sources = list(sources)
        if any("POISON" in source.text for source in sources):
            raise ValueError("cannot parse this")
        return real(sources, nlp, **kwargs)

    monkeypatch.setattr(pipeline, "parse_documents", fragile)
    good = SourceDocument("good", ARTICLE.format(n=1), content_hash(ARTICLE.format(n=1)))
    poison = SourceDocument("poison", "POISON text.", content_hash("POISON text."))
    summary = ingest([good, poison, SourceError("upload", "empty file")], store, workers=1)
    assert summary.parsed == 1 and store.known([good.content_hash]) == {good.content_hash}
    assert [(f.source, f.reason.split(":")[0]) for f in summary.failures] == [
        ("upload", "empty file"), ("poison", "parse failed")]


def test_worker_processes(tmp_path, store):
    write_corpus(tmp_path / "corpus", 4)
    summary = ingest([str(tmp_path / "corpus")], store, workers=2, batch_size=2)
    assert (summary.parsed, summary.stories, summary.failures) == (4, 4, [])
    assert len(store.document_ids("demo")) == 4


def test_dask_scheduler(tmp_path, store):
    distributed = pytest.importorskip("distributed")
    write_corpus(tmp_path / "corpus", 3)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        summary = ingest([str(tmp_path / "corpus")], store, batch_size=2,
                         scheduler=cluster.scheduler_address, collection="dask")
    assert (summary.parsed, summary.stories, summary.failures) == (3, 3, [])
    assert len(store.document_ids("dask")) == 3
