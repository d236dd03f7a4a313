"""Parse: SourceDocument -> ParsedDocument (stories, canonical entities, quotes).

One spaCy Doc per story, run through ``nlp.pipe`` in batches across documents;
entities are made canonical over the whole document (a surname in story 2
resolves to the full name used in story 1), quotes and pronoun speakers resolve
inside their story.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from lib.entities import extract_entities
from lib.model import ParsedDocument, SourceDocument, SourceError, Story, StorySegment
from lib.quotes import extract_quotes
from lib.segment import split_stories

PIPE_BATCH_SIZE = 64


def parse_documents(
    sources: Iterable[SourceDocument], nlp: Language, *, batch_size: int = PIPE_BATCH_SIZE
) -> Iterator[ParsedDocument | SourceError]:
    """Parse documents lazily and in input order.

    A document that fails is yielded as a SourceError; the others go on.
    """
    segmented = ((source, split_stories(source.text, title=source.title)) for source in sources)
    pending: tuple[SourceDocument, list[StorySegment]] | None = None
    pending_docs: list[Doc] = []
    for doc, (source, segments) in nlp.pipe(
        _story_texts(segmented), as_tuples=True, batch_size=batch_size
    ):
        if pending is not None and source is not pending[0]:
            yield _assemble(*pending, pending_docs)
            pending_docs = []
        pending = (source, segments)
        if segments:
            pending_docs.append(doc)
    if pending is not None:
        yield _assemble(*pending, pending_docs)


def _story_texts(segmented):
    """(story text, context) pairs; a document with no story still passes once, as ""."""
    for source, segments in segmented:
        if not segments:
            yield "", (source, segments)
        for segment in segments:
            yield segment.text, (source, segments)


def parse_document(source: SourceDocument, nlp: Language) -> ParsedDocument | SourceError:
    return next(parse_documents([source], nlp))


def _assemble(
    source: SourceDocument, segments: list[StorySegment], docs: list[Doc]
) -> ParsedDocument | SourceError:
    try:
        # Headlines and captions are read for full names only ("Mr Zelensky"
        # in the text, "Volodymyr Zelensky" in a caption), never tagged.
        context = [line for segment in segments for line in (segment.headline, *segment.captions)]
        stories = [
            Story(
                headline=segment.headline,
                paragraphs=list(segment.paragraphs),
                captions=list(segment.captions),
                entities=entities,
                quotes=extract_quotes(doc, entities),
            )
            for segment, doc, entities in zip(
                segments, docs, extract_entities(docs, context=context), strict=True
            )
        ]
    except Exception as error:  # one bad document never stops a corpus
        return SourceError(source.source, f"parse failed: {type(error).__name__}: {error}")
    title = source.title or (stories[0].headline if stories else "") or source.source
    return ParsedDocument(
        doc_id=source.content_hash,
        source=source.source,
        title=title,
        stories=stories,
        outlet=source.outlet,
        date=source.date,
        author=source.author,
    )
