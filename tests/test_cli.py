"""`python -m lib`: the JSON Lines contract and one error line per bad input, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lib.model import one_line

REPO_DIR = Path(__file__).resolve().parent.parent

ARTICLE = """Ferry service resumes after storm

Ferries between the islands sailed again on Sunday after three days of gales kept every boat in port.

"We are glad to be moving again," captain Ines Moreau said as the first boat left the harbour.
"""

NO_ARTICLE_HTML = """<!DOCTYPE html><html><head><title>Menu</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav></body></html>"""

STORY_KEYS = {"headline", "paragraphs", "captions", "published", "entities", "quotes"}
ENTITY_KEYS = {"text", "label", "canonical", "country", "country_code"}
QUOTE_KEYS = {"text", "pieces", "kind", "speaker", "speaker_mention", "cue"}


def run(*args: str, cwd: Path = REPO_DIR, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lib", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if line.strip()]


def check_contract(record: dict) -> None:
    assert {"source", "title", "stories"} <= record.keys()
    for story in record["stories"]:
        assert STORY_KEYS <= story.keys()
        assert all(isinstance(p, str) for p in story["paragraphs"] + story["captions"])
        for entity in story["entities"]:
            assert ENTITY_KEYS <= entity.keys()
        text = "\n\n".join(story["paragraphs"])
        for quote in story["quotes"]:
            assert QUOTE_KEYS <= quote.keys()
            # one piece per span, as written there; the text is the pieces joined
            assert quote["pieces"] == [text[s:e] for s, e in quote["spans"]]
            assert " ".join(quote["pieces"]) == quote["text"]


def summary_count(result: subprocess.CompletedProcess, key: str) -> int:
    """A count of the ingest summary: "people: 3" -> 3."""
    [line] = [line for line in result.stdout.splitlines() if line.startswith(f"{key}: ")]
    return int(line.split()[1])


def dashboard_figures(store: Path) -> dict[str, int]:
    """The home page's figures for the store's demo collection."""
    from lib import query
    from lib.store import Store

    with Store(store, read_only=True) as opened, opened.cursor() as cursor:
        return query.corpus_figures(cursor, query.Filters())


def assert_single_failure(result, path: str, reason: str) -> None:
    assert result.returncode == 1
    assert result.stdout == ""
    lines = error_lines(result)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {path}: ") and reason in lines[0], lines[0]


def test_a_live_page_prints_one_story_per_post_with_its_time():
    page = REPO_DIR / "tests" / "data" / "live" / "json_ld_graph.html"
    result = run("parse", str(page))
    assert result.returncode == 0 and error_lines(result) == []
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    check_contract(record)
    assert [(story["headline"], story["published"]) for story in record["stories"]] == [
        ("Turnout up in the capital", "2025-05-01T22:30:00+01:00"),
        ("First result declared", "2025-05-01T23:10:00+01:00"),
        ("Polls have closed", "2025-05-01T22:00:00+01:00")]


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert_single_failure(run("parse", str(path)), str(path), "empty")


def test_binary_file(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    assert_single_failure(run("parse", str(path)), str(path), "binary")


def test_missing_path(tmp_path):
    path = tmp_path / "nowhere" / "page.txt"
    assert_single_failure(run("parse", str(path)), str(path), "no such file")


def test_html_page_with_no_article(tmp_path):
    path = tmp_path / "menu.html"
    path.write_text(NO_ARTICLE_HTML)
    assert_single_failure(run("parse", str(path)), str(path), "no article text found")


def test_huge_text_file_fails_fast(tmp_path):
    path = tmp_path / "huge.txt"
    line = b"The minister said the talks would resume on Monday in the capital.\n"
    with open(path, "wb") as handle:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    assert path.stat().st_size >= 50 * 1024 * 1024
    started = time.monotonic()
    result = run("parse", str(path))
    assert_single_failure(result, str(path), "too large")
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/", "http://10.0.0.1/"])
def test_url_to_a_private_address_is_refused(url):
    started = time.monotonic()
    result = run("parse", url)
    # Refused by policy, not by a failed connection or a timeout.
    assert_single_failure(result, url, "not a public address")
    assert time.monotonic() - started < 30


def test_cp1252_file(tmp_path):
    path = tmp_path / "pound.txt"
    path.write_bytes(ARTICLE.replace("three days", "\xa33m of").encode("cp1252"))
    result = run("parse", str(path))
    assert result.returncode == 0, result.stderr
    assert error_lines(result) == []
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    check_contract(record)
    assert record["source"] == str(path)
    assert any("£3m" in p for story in record["stories"] for p in story["paragraphs"])


def test_a_split_quote_prints_its_pieces_as_the_page_has_them(tmp_path):
    path = tmp_path / "split.txt"
    path.write_text(ARTICLE.replace(
        '"We are glad to be moving again," captain Ines Moreau said as the first boat left '
        'the harbour.',
        '"We are glad to be moving again," captain Ines Moreau said, '
        '"but the sea is still rough."'))
    result = run("parse", str(path))
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    check_contract(record)
    (story,) = record["stories"]
    text = "\n\n".join(story["paragraphs"])
    (quote,) = [q for q in story["quotes"] if len(q["spans"]) > 1]
    assert quote["pieces"] == ['"We are glad to be moving again,"', '"but the sea is still rough."']
    assert [text[s:e] for s, e in quote["spans"]] == quote["pieces"]
    assert quote["text"] == " ".join(quote["pieces"]) and quote["text"] not in text


def test_directory_with_one_bad_file(tmp_path):
    for name in ("a.txt", "c.txt"):
        (tmp_path / name).write_text(ARTICLE)
    (tmp_path / "c.txt").write_text(ARTICLE.replace("Sunday", "Monday"))
    (tmp_path / "b.txt").write_bytes(b"\x00" * 64)
    result = run("parse", str(tmp_path))
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == [str(tmp_path / "a.txt"), str(tmp_path / "c.txt")]
    for record in records:
        check_contract(record)
        assert record["stories"] and record["stories"][0]["paragraphs"]
    lines = error_lines(result)
    assert lines == [f"error: {tmp_path / 'b.txt'}: binary file, not text"]


def test_ingest_summary_and_re_ingest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text(ARTICLE)
    (corpus / "two.txt").write_text(ARTICLE.replace("Sunday", "Friday"))
    (corpus / "bad.txt").write_bytes(b"")
    store = tmp_path / "store.duckdb"
    first = run("ingest", str(corpus), "--store", str(store), "--workers", "1")
    assert first.returncode == 1
    assert error_lines(first) == [f"error: {corpus / 'bad.txt'}: empty file (no text)"]
    assert "documents: 2 (2 parsed, 0 already stored, 0 repeats)" in first.stdout
    for key in ("stories:", "quotes:", "people:", "countries:", "failures: 1"):
        assert key in first.stdout
    assert summary_count(first, "people") == dashboard_figures(store)["people"]
    (corpus / "bad.txt").unlink()
    second = run("ingest", str(corpus), "--store", str(store))
    assert second.returncode == 0 and error_lines(second) == []
    assert "documents: 2 (0 parsed, 2 already stored, 0 repeats)" in second.stdout


def test_ingest_with_worker_processes(tmp_path):
    # Worker processes are spawned from the CLI: results land in the one store.
    for n in range(4):
        (tmp_path / f"{n}.txt").write_text(ARTICLE.replace("Sunday", f"day {n}"))
    result = run("ingest", str(tmp_path), "--store", str(tmp_path / "s.duckdb"),
                 "--workers", "2", "--batch-size", "2")
    assert result.returncode == 0 and error_lines(result) == []
    assert "documents: 4 (4 parsed, 0 already stored, 0 repeats)" in result.stdout


def test_ingest_into_a_store_a_dashboard_holds_stages_the_documents(tmp_path):
    """A running dashboard keeps its store open: the ingest parses beside it instead of
    failing, and whoever opens the store next for writing (the dashboard) takes the pages."""
    from lib.store import Store, has_staged
    from tests.test_store import held_by_another_process

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "one.txt").write_text(ARTICLE)
    store = tmp_path / "store.duckdb"
    Store(store).close()
    with held_by_another_process(store) as holder:
        result = run("ingest", str(tmp_path / "corpus"), "--store", str(store), "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert f"note: the store {store} is in use by process {holder.pid}" in result.stderr
    assert "documents: 1 (1 parsed" in result.stdout and has_staged(store)
    with Store(store) as opened:
        assert len(opened.document_ids("demo")) == 1
    assert not has_staged(store)


def test_unexpected_error_is_one_line(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = run("ingest", str(tmp_path / "a.txt"), "--store", str(tmp_path))  # a directory
    assert result.returncode == 2
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("error: "), lines


def test_usage_error_exits_2():
    result = run("parse")
    assert result.returncode == 2 and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- odd inputs


@pytest.fixture(scope="module")
def odd_inputs(tmp_path_factory):
    """One `parse` run over good articles around every kind of odd input: (run, paths)."""
    folder = tmp_path_factory.mktemp("odd")
    paths = {
        "first": folder / "first.txt",
        "fifo": folder / "fifo.txt",
        "newline": folder / "new\nline.txt",
        "undecodable_name": Path(os.fsdecode(str(folder).encode() + b"/caf\xe9.txt")),
        "long_story": folder / "long.txt",
        "paragraphs": folder / "paragraphs.txt",
        "word": folder / "word.txt",
        "quote_marks": folder / "quotes.txt",
        "last": folder / "last.txt",
    }
    paths["first"].write_text(ARTICLE)
    os.mkfifo(paths["fifo"])
    paths["newline"].write_bytes(b"")
    paths["undecodable_name"].write_text(ARTICLE.replace("Sunday", "Monday"))
    paths["long_story"].write_text("The talks went on. " * 60_000)  # over spaCy's 1M too
    paths["paragraphs"].write_text("a.\n\n" * 40_000)
    paths["word"].write_text(ARTICLE + "x" * 20_000)
    paths["quote_marks"].write_text(ARTICLE + '"' * 20_000)
    paths["last"].write_text(ARTICLE.replace("Sunday", "Friday"))
    result = subprocess.run([sys.executable, "-m", "lib", "parse", *map(str, paths.values())],
                            cwd=REPO_DIR, capture_output=True, timeout=300)
    return result, paths


def odd_errors(odd_inputs) -> dict[str, str]:
    """Error lines by input key; each line must be valid UTF-8 and one line."""
    result, paths = odd_inputs
    stderr = result.stderr.decode("utf-8")  # raises on invalid UTF-8
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert all(line.startswith("error: ") for line in lines), lines
    by_key = {}
    for key, path in paths.items():
        found = [line for line in lines if line.startswith(f"error: {one_line(str(path))}: ")]
        assert len(found) <= 1, found
        if found:
            by_key[key] = found[0].removeprefix(f"error: {one_line(str(path))}: ")
    assert len(by_key) == len(lines), lines  # every line belongs to one input
    return by_key


def test_bad_inputs_fail_alone_and_the_others_are_printed(odd_inputs):
    result, paths = odd_inputs
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [r["source"] for r in records] == [
        str(paths["first"]), one_line(str(paths["undecodable_name"])), str(paths["last"])]
    assert set(odd_errors(odd_inputs)) == set(paths) - {"first", "undecodable_name", "last"}


def test_a_fifo_is_refused_not_waited_on(odd_inputs):
    assert odd_errors(odd_inputs)["fifo"] == "not a regular file"


def test_a_newline_in_a_path_keeps_the_reason_on_its_line(odd_inputs):
    assert odd_errors(odd_inputs)["newline"] == "empty file (no text)"
    assert "new\\nline.txt" in one_line(str(odd_inputs[1]["newline"]))


def test_a_non_utf8_file_name_gives_valid_utf8_json(odd_inputs):
    result, _ = odd_inputs
    sources = [json.loads(line)["source"] for line in result.stdout.decode("utf-8").splitlines()]
    assert any(source.endswith("/caf\\xe9.txt") for source in sources), sources


@pytest.mark.parametrize(("key", "reason"), [
    ("long_story", "text too long (1,139,999 characters, over the 200,000-character limit)"),
    ("paragraphs", "too many paragraphs (40,000 lines of text, over the limit of 2,000)"),
    ("word", "a word of 20,000 characters without a space (the limit is 10,000)"),
    ("quote_marks", "too many quote marks (20,002, over the limit of 5,000)"),
])
def test_caps_give_one_error_line(odd_inputs, key, reason):
    assert odd_errors(odd_inputs)[key] == reason


def test_size_error_says_the_documented_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a " * (11 * 1024 * 1024))
    result = run("parse", str(path))
    assert_single_failure(result, str(path), "too large (22 MB, over the 20 MB limit)")


# --------------------------------------------------------------------------- kill -9


def child_pids(parent: int) -> set[int]:
    """Live (not zombie) processes whose parent is ``parent``, from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue  # ended while we looked
        fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
        if fields.get("PPid", "").strip() == str(parent) and not fields["State"].startswith("Z"):
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        return not Path(f"/proc/{pid}/status").read_text().split("State:\t")[1].startswith("Z")
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_kill_9_during_ingest_leaves_no_worker_and_resumes(tmp_path):
    from lib.ingest import ingest
    from lib.store import Store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(6):
        (corpus / f"{n}.txt").write_text(ARTICLE.replace("Sunday", f"day {n}"))
    store = tmp_path / "store.duckdb"
    process = subprocess.Popen(
        [sys.executable, "-m", "lib", "ingest", str(corpus), "--store", str(store),
         "--workers", "2", "--batch-size", "1"],
        cwd=REPO_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            workers = {pid for pid in child_pids(process.pid)
                       if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()}
            time.sleep(0.1)
        assert len(workers) == 2, "the ingest never started its two workers"
        time.sleep(1)  # let the workers get going
        process.kill()  # SIGKILL: no clean-up runs in the ingesting process
        process.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)], "workers outlived the ingest"
    finally:
        process.kill()
        for pid in workers:
            if alive(pid):
                os.kill(pid, 9)  # never leave a process behind, even when the test fails
    with Store(store) as opened:
        summary = ingest([str(corpus)], opened, workers=1)
        assert summary.failures == []
        assert summary.documents == 6 == len(opened.document_ids("demo"))


def test_scheduler_without_dask_says_how_to_install_it_before_opening_the_store(
        tmp_path, monkeypatch, capsys):
    """`make run` installs no dask: --scheduler names the file that does, and writes nothing."""
    from lib.cli import EXIT_ERROR, main

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    (tmp_path / "a.txt").write_text(ARTICLE)
    store = tmp_path / "news.duckdb"
    status = main(["ingest", str(tmp_path / "a.txt"), "--store", str(store),
                   "--scheduler", "tcp://127.0.0.1:1"])
    lines = capsys.readouterr().err.splitlines()
    assert status == EXIT_ERROR
    assert len(lines) == 1 and "requirements-dev.txt" in lines[0], lines
    assert not store.exists()
