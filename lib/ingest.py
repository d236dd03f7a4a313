"""Ingest: sources -> parse -> store, in batches, resumable, on one or many cores.

Documents already stored (same content hash) are linked to the collection and
never parsed again; new ones are parsed batch by batch and each batch is written
in one transaction as soon as it is parsed, so an interrupted ingest keeps every
batch it finished and the next run resumes where it stopped. Parsing runs in
this process, in a pool of worker processes (each loads the model once), or on
a dask.distributed cluster; results always land in this process's store.
"""

from __future__ import annotations

import ctypes
import math
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Protocol

import duckdb

from lib.model import ParsedDocument, SourceDocument, SourceError
from lib.sources import expand_paths, read_source
from lib.store import DEMO_COLLECTION, Store
from lib.visitor import may_edit, new_owner_key, owner_key_hash

BATCH_SIZE = 64  # documents per parse task and per store transaction
PR_SET_PDEATHSIG = 1  # linux/prctl.h: the signal a process gets when its parent dies
PARENT_POLL_SECONDS = 1.0

Input = str | SourceDocument | SourceError


class DocumentStore(Protocol):
    """What an ingest writes to: a ``Store``, or Parquet partitions (``lib.partitions``)."""

    def known(self, doc_ids: Iterable[str]) -> set[str]: ...

    def link(self, collection: str, doc_ids: Iterable[str],
             sources: Mapping[str, str | SourceDocument] | None = None) -> int: ...

    def add(self, docs: Iterable[ParsedDocument], *, collection: str = DEMO_COLLECTION,
            sources: Mapping[str, str | SourceDocument] | None = None) -> int: ...

    def totals(self, doc_ids: Iterable[str]) -> dict[str, int]: ...

    def cursor(self) -> duckdb.DuckDBPyConnection: ...


@dataclass
class IngestSummary:
    inputs: int = 0  # files, URLs and documents given (folders expanded)
    documents: int = 0  # distinct documents of this run now in the store
    parsed: int = 0  # documents parsed in this run
    skipped_known: int = 0  # documents already in the store: linked, not parsed
    repeats: int = 0  # inputs with the same text as an earlier input of this run
    stories: int = 0
    quotes: int = 0
    people: int = 0  # distinct people, counted as the dashboard counts them (lib.query)
    countries: int = 0  # distinct countries
    failures: list[SourceError] = field(default_factory=list)


# --------------------------------------------------------------------------- parsing


def parse_batch(sources: list[SourceDocument]) -> list[ParsedDocument | SourceError]:
    """Parse a batch with this process's model; a failing document fails alone."""
    from lib.nlp import load_pipeline  # imported here: worker processes load spaCy lazily
    from lib.pipeline import parse_documents

    nlp = load_pipeline()
    try:
        return list(parse_documents(sources, nlp))
    except Exception:
        # Something escaped the pipeline: retry one by one to isolate the culprit.
        return [_parse_alone(source, nlp) for source in sources]


def _parse_alone(source: SourceDocument, nlp) -> ParsedDocument | SourceError:
    from lib.pipeline import parse_document

    try:
        return parse_document(source, nlp)
    except Exception as error:
        return SourceError.from_exception(source.source, "parse failed", error)


class _InlineExecutor:
    """The executor interface, run in this process (one worker: no start-up cost)."""

    max_in_flight = 0  # each batch is written as soon as it is parsed

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as error:  # noqa: BLE001 - handed back through the future
            future.set_exception(error)
        return future

    def shutdown(self, **_) -> None:
        pass


class _DaskExecutor:
    """Parse tasks on a dask.distributed cluster (a scheduler address or a Client)."""

    def __init__(self, scheduler):
        from distributed import Client

        self._owned = not isinstance(scheduler, Client)
        self.client = Client(scheduler) if self._owned else scheduler
        self.max_in_flight = 2 * max(1, sum(self.client.nthreads().values()))

    def submit(self, fn, *args):
        return self.client.submit(fn, *args, pure=False)

    def shutdown(self, **_) -> None:
        if self._owned:
            self.client.close()


def _executor(workers: int, scheduler):
    if scheduler is not None:
        return _DaskExecutor(scheduler)
    if workers > 1:
        # spawn: never fork a process holding DuckDB's and spaCy's threads.
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                   initializer=die_with_parent, initargs=(os.getpid(),))
        pool.max_in_flight = workers  # one batch queued per worker while we write
        return pool
    return _InlineExecutor()


def die_with_parent(parent_pid: int) -> None:
    """Run in each worker as it starts: end it when the ingesting process ends.

    A parent killed with SIGKILL cannot shut its pool down, and a worker waiting on
    the task queue would wait for ever. On Linux the kernel sends the worker SIGKILL
    the moment the parent dies; elsewhere a watchdog thread notices within a second.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # no prctl: the watchdog below still works
    if os.getppid() != parent_pid:  # the parent died before we could ask
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True,
                     name="die-with-parent").start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)  # orphaned: nobody will read our results


def default_workers(n_inputs: int, batch_size: int) -> int:
    """One per core, but no more than there are batches to give them."""
    return max(1, min(os.cpu_count() or 1, math.ceil(n_inputs / batch_size)))


# --------------------------------------------------------------------------- ingest


def ingest(
    inputs: Iterable[Input],
    store: DocumentStore,
    *,
    collection: str = DEMO_COLLECTION,
    workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
    on_failure: Callable[[SourceError], None] | None = None,
    scheduler=None,
) -> IngestSummary:
    """Read, parse what is new, store; ``progress(done, total)`` after every input settles.

    ``inputs``: paths (folders expand to their files), URLs, SourceDocuments.
    ``scheduler``: a dask.distributed scheduler address (or Client) to parse on.
    ``store``: a Store, or a ``lib.partitions.PartitionStore`` (a partition per batch).
    """
    items = list(_expand(inputs))
    total = len(items)
    workers = workers or default_workers(total, batch_size)
    summary = IngestSummary(inputs=total)
    run = _Run(store, collection, summary, progress, on_failure, total)
    executor = _executor(workers, scheduler)
    in_flight: deque = deque()
    try:
        for batch in _batches(items, batch_size):
            new = run.triage([_read(item) for item in batch])
            if new:
                in_flight.append((new, executor.submit(parse_batch, new)))
            # Keep every worker busy, but write as results come back.
            while len(in_flight) > executor.max_in_flight:
                run.store_parsed(*_result(*in_flight.popleft()))
        while in_flight:
            run.store_parsed(*_result(*in_flight.popleft()))
    finally:
        for _, future in in_flight:
            future.cancel()
        executor.shutdown(cancel_futures=True)
    for key, value in store.totals(run.doc_ids).items():
        setattr(summary, key, value)
    summary.people = _people(store, collection, run.doc_ids)
    return summary


def _people(store: DocumentStore, collection: str, doc_ids: list[str]) -> int:
    """People in this run's documents as the dashboard counts them: surnames linked to
    the full name, names that are no person left out, over the collection's corpus."""
    from lib.query import people_count  # pandas and DuckDB queries: only once the run is done

    with store.cursor() as cursor:
        return people_count(cursor, [collection], doc_ids)


def _expand(inputs: Iterable[Input]) -> Iterator[Input]:
    for item in inputs:
        if isinstance(item, (SourceDocument, SourceError)):
            yield item
        else:
            yield from expand_paths([str(item)])


def _read(item: Input) -> SourceDocument | SourceError:
    if isinstance(item, (SourceDocument, SourceError)):
        return item
    try:
        return read_source(item)
    except Exception as error:  # a reader bug must not stop a corpus either
        return SourceError.from_exception(item, "cannot read", error)


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _result(sources: list[SourceDocument], future) -> tuple[list[SourceDocument], list]:
    try:
        return sources, future.result()
    except Exception as error:  # a crashed worker fails its batch, not the run
        return sources, [SourceError.from_exception(source.source, "parse failed", error)
                         for source in sources]


@dataclass
class _Run:
    store: DocumentStore
    collection: str
    summary: IngestSummary
    progress: Callable[[int, int], None] | None
    on_failure: Callable[[SourceError], None] | None
    total: int
    done: int = 0
    doc_ids: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def triage(self, batch: list[SourceDocument | SourceError]) -> list[SourceDocument]:
        """Fail the unreadable, link the known, return the new."""
        documents = [item for item in batch if isinstance(item, SourceDocument)]
        for item in batch:
            if isinstance(item, SourceError):
                self.fail(item)
        known = self.store.known(doc.content_hash for doc in documents)
        new, stored = [], []
        for doc in documents:
            if doc.content_hash in self.seen:
                self.summary.repeats += 1
                continue
            self.seen.add(doc.content_hash)
            self.doc_ids.append(doc.content_hash)
            (stored if doc.content_hash in known else new).append(doc)
        if stored:
            self.store.link(self.collection, [d.content_hash for d in stored],
                            {d.content_hash: d for d in stored})
        self.summary.skipped_known += len(stored)
        self.advance(len(batch) - len(new))
        return new

    def store_parsed(self, sources: list[SourceDocument], results: list) -> None:
        parsed = [result for result in results if isinstance(result, ParsedDocument)]
        for result in results:
            if isinstance(result, SourceError):
                self.fail(result)
        if parsed:
            by_id = {source.content_hash: source for source in sources}
            self.store.add(parsed, collection=self.collection, sources=by_id)
        self.summary.parsed += len(parsed)
        self.advance(len(sources))

    def fail(self, error: SourceError) -> None:
        self.summary.failures.append(error)
        if self.on_failure is not None:
            self.on_failure(error)

    def advance(self, count: int) -> None:
        self.done += count
        if self.progress is not None and count:
            self.progress(self.done, self.total)


# --------------------------------------------------------------------------- visitors


@dataclass
class VisitorAddition:
    """What adding pages from the dashboard did."""

    collection: str | None  # the collection the pages are in; None when nothing was added
    added: int  # distinct pages of this addition now in the collection
    failures: list[SourceError]
    owner_key: str | None = None  # the edit key of ``collection``; new when it is new
    forked: bool = False  # a new collection: the viewed one could not be edited


def add_for_visitor(
    items: list[Input],
    store: Store,
    *,
    viewed_collection: str | None,
    owner_key: str | None,
    progress: Callable[[int, int], None] | None = None,
) -> VisitorAddition:
    """Add a visitor's uploads, pastes and URLs to a collection they may edit.

    With the viewed collection's edit key the pages join it. Otherwise (no collection,
    or one opened from someone's view link) they go into a new collection, with a new edit
    key, that also holds every page of the viewed one. Nothing is created when no page
    could be added, so a failed attempt leaves no empty collection and no new link.
    """
    if may_edit(store, viewed_collection, owner_key):
        summary = ingest(items, store, collection=viewed_collection, workers=1,
                         progress=progress)
        added = summary.documents  # distinct pages: the same text pasted twice is one page
        return VisitorAddition(viewed_collection, added, summary.failures, owner_key)
    target, new_key = store.new_collection_id(), new_owner_key()
    summary = ingest(items, store, collection=target, workers=1, progress=progress)
    if not summary.documents:
        return VisitorAddition(viewed_collection, 0, summary.failures)
    store.set_owner(target, owner_key_hash(new_key))
    if viewed_collection:
        store.link(target, store.document_ids(viewed_collection))
    return VisitorAddition(target, summary.documents, summary.failures, new_key,
                           forked=bool(viewed_collection))
