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
from lib.limits import MAX_DOCUMENT_TOKENS, text_limit_error, token_limit_error
from lib.model import ParsedDocument, SourceDocument, SourceError, Story, StorySegment
from lib.quotes import extract_quotes
from lib.segment import split_stories

PIPE_BATCH_SIZE = 64
# Documents are piped in batches of at most this many characters (or one document):
# spaCy parses a batch together and its Docs are held until it is assembled, so the
# parse's memory follows this, not the corpus. Characters bound tokens from above.
PIPE_BATCH_CHARS = MAX_DOCUMENT_TOKENS

Prepared = tuple[SourceDocument, list[StorySegment]]


def parse_documents(
    sources: Iterable[SourceDocument], nlp: Language, *, batch_size: int = PIPE_BATCH_SIZE
) -> Iterator[ParsedDocument | SourceError]:
    """Parse documents lazily and in input order.

    A document that fails (over a cap, over spaCy's length limit, or anything the
    pipeline raises on it) is yielded as a SourceError; the others go on.
    """
    batch: list[Prepared | SourceError] = []
    characters = 0
    for source in sources:
        prepared = _prepared(source, nlp)
        size = len(source.text) if not isinstance(prepared, SourceError) else 0
        if batch and (len(batch) >= batch_size or characters + size > PIPE_BATCH_CHARS):
            yield from _parse_batch(batch, nlp, batch_size)
            batch, characters = [], 0
        batch.append(prepared)
        characters += size
    yield from _parse_batch(batch, nlp, batch_size)


def _prepared(source: SourceDocument, nlp: Language) -> Prepared | SourceError:
    """The document cut into stories, or why it will not be parsed."""
    if refused := text_limit_error(source.text):  # the one place every input passes
        return SourceError(source.source, refused)
    try:
        # a live page comes cut into its posts; any other text is cut here
        segments = list(source.stories) or split_stories(source.text, title=source.title)
    except Exception as error:
        return _failure(source, error)
    longest = max((len(segment.text) for segment in segments), default=0)
    if longest > nlp.max_length:  # spaCy would raise E088 for the whole batch
        return SourceError(source.source, f"a story of {longest:,} characters is over the "
                                          f"parser's limit of {nlp.max_length:,}")
    if len(source.text) > MAX_DOCUMENT_TOKENS:  # fewer characters cannot make more tokens
        tokens = sum(len(nlp.tokenizer(segment.text)) for segment in segments)
        if refused := token_limit_error(tokens):
            return SourceError(source.source, refused)
    return source, segments


def _parse_batch(batch: list[Prepared | SourceError], nlp: Language,
                 batch_size: int) -> Iterator[ParsedDocument | SourceError]:
    ready = [item for item in batch if not isinstance(item, SourceError)]
    try:
        docs = iter(list(nlp.pipe(_story_texts(ready), batch_size=batch_size)))
    except Exception as error:
        if len(ready) > 1:  # find the culprit: parse one by one
            for item in batch:
                yield from _parse_batch([item], nlp, batch_size)
            return
        for item in batch:
            yield _failure(item[0], error) if item is ready[0] else item
        return
    for item in batch:
        if isinstance(item, SourceError):
            yield item
            continue
        source, segments = item
        story_docs = [next(docs) for _ in range(max(len(segments), 1))]
        yield _assemble(source, segments, story_docs if segments else [])


def _story_texts(ready: list[Prepared]) -> Iterator[str]:
    """Each story's text; a document with no story still passes once, as ""."""
    for _, segments in ready:
        if not segments:
            yield ""
        for segment in segments:
            yield segment.text


def _failure(source: SourceDocument, error: Exception) -> SourceError:
    return SourceError.from_exception(source.source, "parse failed", error)


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
                published=segment.published,
            )
            for segment, doc, entities in zip(
                segments, docs, extract_entities(docs, context=context), strict=True
            )
        ]
    except Exception as error:  # one bad document never stops a corpus
        return _failure(source, error)
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
