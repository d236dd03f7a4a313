"""Robustness: a fuzz set made on the fly, each input through `python -m lib parse` alone.

    .venv/bin/python bench/robustness.py [--timeout 60] [--seed 7] [--mutations 24] [--quick]

Inputs: the demo articles (data/samples) and their random mutations, giant
paragraphs and tokens, quote-mark floods, 100,000 tiny paragraphs, lines and <p>
tags, deep HTML nesting, odd encodings, binary junk, a FIFO, odd file names; then
a mixed folder (good and bad documents) through `parse` and through `ingest
--workers 2`. Every run is its own process with a timeout; its wall time and peak
memory (wait4's ru_maxrss: the process and any worker it waited for) are printed.

Targets (the summary says PASS or FAIL for each): no traceback, no run over the
timeout, peak memory under 1 GB for every input under 20 MB, every failure exactly
one `error: PATH: reason` line per bad input, and the good documents of a mixed
folder still out.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

REPO_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_DIR / "data" / "samples"
MEMORY_TARGET_BYTES = 1024**3
SMALL_INPUT_BYTES = 20 * 1024 * 1024  # the memory target holds for inputs under this size
ERROR_LINE = re.compile(r"^error: (.+): (.+)$")

PARAGRAPH = (
    "The minister said on Monday that talks with the unions would resume in the capital, "
    "and that she expected an agreement before the end of the month."
)
QUOTED_PARAGRAPH = '"We are not asking for the moon," Ms de Vos said.'


# --------------------------------------------------------------------------- the fuzz set


@dataclass
class Case:
    name: str
    filename: str
    make: Callable[[Path], None]  # writes the input at the given path
    group: str = "fuzz"


def _bytes(data: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data() if callable(data) else data)

    return write


def seed_texts() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(SEEDS_DIR.glob("*.*"))
            if path.suffix in (".txt", ".html")}


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few random edits: flips, deletions, duplications, insertions, truncation."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        kind = rng.choice(("flip", "delete", "duplicate", "insert", "truncate", "splice"))
        at = rng.randrange(max(len(buffer), 1))
        if kind == "flip" and buffer:
            buffer[at] = rng.randrange(256)
        elif kind == "delete":
            del buffer[at:at + rng.randint(1, 200)]
        elif kind == "duplicate":
            piece = buffer[at:at + rng.randint(1, 400)]
            buffer[at:at] = piece * rng.randint(1, 50)
        elif kind == "insert":
            junk = rng.choice((b'"', b"\xe2\x80\x9c", b"\n\n", b"<p>", b"\x00", b"\xff\xfe",
                               "\u202e\u200b".encode(), b"<div>", b"&#0;", b"&#x110000;"))
            buffer[at:at] = junk * rng.randint(1, 2000)
        elif kind == "truncate" and len(buffer) > 10:
            del buffer[rng.randrange(len(buffer) // 2, len(buffer)):]
        elif kind == "splice":
            start = rng.randrange(max(len(buffer), 1))
            piece = bytes(buffer[start:start + 300])
            buffer[at:at] = piece
    return bytes(buffer)


def article(body_paragraphs: list[str], headline: str = "Talks resume after strike") -> str:
    return headline + "\n\n" + "\n\n".join(body_paragraphs) + "\n"


def fuzz_cases(seed: int, mutations: int, quick: bool) -> list[Case]:
    rng = random.Random(seed)
    seeds = seed_texts()
    good = article([PARAGRAPH, QUOTED_PARAGRAPH])
    cases = [Case(f"seed {name}", name, _bytes(data), "seed") for name, data in seeds.items()]
    seed_items = list(seeds.items())
    for n in range(mutations):
        name, data = rng.choice(seed_items)
        mutated = mutate(data, random.Random(rng.random()))
        cases.append(Case(f"mutated {name} #{n}", f"mut{n:02d}{Path(name).suffix}",
                          _bytes(mutated), "mutated"))
    scale = 10 if quick else 1  # --quick: a tenth of each flood, for a fast look
    cases += [
        # sizes: a story at spaCy's limit and past it, a page just under 20 MB
        Case("paragraph 900k chars", "para900k.txt",
             _bytes(article([(PARAGRAPH + " ") * (900_000 // len(PARAGRAPH))]).encode())),
        Case("story 1.2M chars (E088)", "story1200k.txt",
             _bytes(article([PARAGRAPH] * (1_200_000 // len(PARAGRAPH))).encode())),
        Case("page 19.9 MB of text", "page19mb.txt",
             _bytes(lambda: (PARAGRAPH + "\n\n").encode() * (19_900_000 // (len(PARAGRAPH) + 2)))),
        Case("prose 190k chars, one paragraph", "prose190k.txt",
             _bytes(article([(PARAGRAPH + " ") * (190_000 // len(PARAGRAPH))]).encode())),
        Case("long feature 90k chars", "feature90k.txt",
             _bytes(article([PARAGRAPH, QUOTED_PARAGRAPH] * 300).encode())),
        # tokens
        Case("token 900k chars", "token900k.txt",
             _bytes(article([PARAGRAPH, "x" * (900_000 // scale), PARAGRAPH]).encode())),
        Case("token 20k chars x 40", "tokens20k.txt",
             _bytes(article([PARAGRAPH + " " + "y" * 20_000] * 40).encode())),
        # quote marks
        Case("1M quote marks", "quotes1m.txt", _bytes(b'"' * (1_000_000 // scale))),
        Case("300k spaced quote marks", "quotes300k.txt",
             _bytes(article(['" ' * (300_000 // scale)]).encode())),
        Case("20k short quote paragraphs", "quotes20k.txt",
             _bytes(article([QUOTED_PARAGRAPH] * (20_000 // scale)).encode())),
        Case("1,900 short quote paragraphs", "quotes1900.txt",
             _bytes(article([QUOTED_PARAGRAPH] * 1_900).encode())),
        Case("curly quote flood, one paragraph", "curly.txt",
             _bytes(article(["\u201cYes\u201d he said \u201c" * (40_000 // scale)]).encode())),
        Case("unclosed quotes x 3k paragraphs", "unclosed.txt",
             _bytes(article(['"' + PARAGRAPH] * 3_000).encode())),
        # paragraphs, lines, tags
        Case("100k tiny paragraphs", "paras100k.txt",
             _bytes(b"a.\n\n" * (100_000 // scale))),
        Case("100k tiny lines", "lines100k.txt", _bytes(b"a\n" * (100_000 // scale))),
        Case("100k <p> tags", "p100k.html",
             _bytes(b"<html><body>" + b"<p>word of text here.</p>" * (100_000 // scale)
                    + b"</body></html>")),
        Case("900 paragraphs (real long page)", "paras900.txt",
             _bytes(article([PARAGRAPH] * 900).encode())),
        # HTML
        Case("HTML nested 100k divs", "deep.html",
             _bytes(b"<html><body>" + b"<div>" * (100_000 // scale) + PARAGRAPH.encode() * 3
                    + b"</div>" * (100_000 // scale) + b"</body></html>")),
        Case("HTML 5k nested <b>", "deepb.html",
             _bytes(b"<html><body><p>" + b"<b>" * 5_000 + PARAGRAPH.encode() * 3
                    + b"</p></body></html>")),
        Case("HTML 1M attributes", "attrs.html",
             _bytes(b"<html><body><p " + b'a="1" ' * (1_000_000 // scale) + b">"
                    + PARAGRAPH.encode() + b"</p></body></html>")),
        Case("HTML 500k entities", "entities.html",
             _bytes(b"<html><body><p>" + b"&amp;" * (500_000 // scale) + PARAGRAPH.encode()
                    + b"</p></body></html>")),
        # encodings
        Case("UTF-16 LE no BOM", "utf16le.txt", _bytes(good.encode("utf-16-le"))),
        Case("UTF-16 BE no BOM", "utf16be.txt", _bytes(good.encode("utf-16-be"))),
        Case("UTF-16 with BOM", "utf16.txt", _bytes(good.encode("utf-16"))),
        Case("UTF-32 with BOM", "utf32.txt", _bytes(good.encode("utf-32"))),
        Case("UTF-8 with BOM", "utf8bom.txt", _bytes(codecs.BOM_UTF8 + good.encode())),
        Case("cp1252", "cp1252.txt", _bytes(good.replace("moon", "£ “moon”").encode("cp1252"))),
        Case("latin-1", "latin1.txt", _bytes(good.replace("moon", "caf\xe9").encode("latin-1"))),
        Case("invalid UTF-8 bytes", "badutf8.txt",
             _bytes(good.encode() + b"\xc3\x28\xa0\xa1\xf0\x28\x8c\xbc")),
        Case("Shift-JIS", "sjis.txt",
             _bytes(("日本の首相は月曜日に述べた。" * 20).encode("shift_jis"))),
        Case("RTL and zero-width", "rtl.txt",
             _bytes(article([PARAGRAPH.replace(" ", "\u200b \u202e")] * 20).encode())),
        Case("lone surrogate escapes", "surrogates.txt",
             _bytes(article([PARAGRAPH + " &#xD800; &#55296; &#x10FFFF;"] * 3).encode())),
        # junk
        Case("random bytes 1 MB", "random.txt", _bytes(random.Random(seed).randbytes(1_000_000))),
        Case("PNG header", "photo.txt", _bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)),
        Case("NUL bytes", "nul.txt", _bytes(b"\x00" * 10_000)),
        Case("gzip of an article", "gz.txt", _bytes(gzip.compress(good.encode() * 100))),
        Case("empty file", "empty.txt", _bytes(b"")),
        Case("whitespace only", "blank.txt", _bytes(b" \n\t\n" * 1000)),
        Case("over 20 MB", "big.txt", _bytes(lambda: b"a " * (11 * 1024 * 1024))),
    ]
    return cases


def odd_path_cases() -> list[Case]:
    good = article([PARAGRAPH, QUOTED_PARAGRAPH]).encode()
    return [
        Case("FIFO", "fifo.txt", lambda path: os.mkfifo(path), "path"),
        Case("newline in the name", "new\nline.txt", _bytes(b""), "path"),
        Case("non-UTF-8 name", os.fsdecode(b"caf\xe9.txt"), _bytes(good), "path"),
    ]


# --------------------------------------------------------------------------- one run


@dataclass
class Run:
    name: str
    size: int
    seconds: float = 0.0
    peak_bytes: int = 0
    status: int | None = None
    timed_out: bool = False
    documents: int = 0
    error_lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def run_lib(args: list[str], timeout: float, cwd: Path) -> tuple[int | None, bytes, bytes,
                                                                  float, int, bool]:
    """Run `python -m lib ARGS`: (status, stdout, stderr, seconds, peak RSS bytes, timed out)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "lib", *args], cwd=cwd,
                                   stdout=out, stderr=err, start_new_session=True)
        timed_out = False
        while True:
            pid, wait_status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                timed_out = True
                os.killpg(process.pid, signal.SIGKILL)  # the run and any worker it started
                pid, wait_status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(wait_status)
        out.seek(0)
        err.seek(0)
        return (None if timed_out else process.returncode, out.read(), err.read(), seconds,
                usage.ru_maxrss * 1024, timed_out)


def check_output(run: Run, stdout: bytes, stderr: bytes, bad_paths: list[str],
                 good_sources: list[str] | None) -> None:
    """Fill ``run`` and its problems from one run's output."""
    try:
        text = stdout.decode("utf-8")
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        run.problems.append(f"stdout is not UTF-8 JSON Lines: {type(error).__name__}")
        records = []
    run.documents = len(records)
    errors = stderr.decode("utf-8", errors="replace")
    if "Traceback" in errors:
        run.problems.append("traceback")
    run.error_lines = [line for line in errors.splitlines() if line.strip()]
    if run.timed_out:
        run.problems.append("timed out")
        return
    if run.status not in (0, 1):
        run.problems.append(f"exit status {run.status}")
    failed = len(run.error_lines)
    if run.status == 1 and failed != len(bad_paths) and not (good_sources is None and failed == 1):
        run.problems.append(f"{failed} error lines for {len(bad_paths) or 1} bad inputs")
    for line in run.error_lines:
        if not ERROR_LINE.match(line):
            run.problems.append(f"not an error line: {line[:60]!r}")
    if (run.status == 0) != (not run.error_lines):
        run.problems.append("exit status and error lines disagree")
    if good_sources is not None:
        out = [record.get("source") for record in records]
        if out != good_sources:
            run.problems.append(f"good documents out: {len(out)} of {len(good_sources)}")


def run_case(case: Case, folder: Path, timeout: float) -> Run:
    path = folder / case.filename
    case.make(path)
    size = path.stat().st_size if path.is_file() else 0
    run = Run(case.name, size)
    status, stdout, stderr, run.seconds, run.peak_bytes, run.timed_out = run_lib(
        ["parse", str(path)], timeout, REPO_DIR)
    run.status = status
    check_output(run, stdout, stderr, [str(path)], None)
    if status == 0 and run.documents != 1:
        run.problems.append(f"{run.documents} documents for one input")
    if case.group == "seed" and status != 0:
        run.problems.append("a demo article failed")
    path.unlink()
    return run


def mixed_folder(folder: Path) -> tuple[list[str], list[str]]:
    """Good articles around bad documents: (good sources in output order, bad paths)."""
    folder.mkdir()
    good, bad = [], []
    entries = {
        "a_good.txt": article([PARAGRAPH, QUOTED_PARAGRAPH]).encode(),
        "b_story_1200k.txt": article([PARAGRAPH] * (1_200_000 // len(PARAGRAPH))).encode(),
        "c_good.html": (SEEDS_DIR / "library-fire.html").read_bytes(),
        "d_binary.txt": b"\x00\x01\x02" * 1000,
        "e_paragraphs.txt": b"a.\n\n" * 100_000,
        "f_good.txt": (SEEDS_DIR / "harbour-page.txt").read_bytes(),
        "g_quotes.txt": b'"' * 1_000_000,
        "h_good.txt": article([PARAGRAPH.replace("Monday", "Friday"), QUOTED_PARAGRAPH]).encode(),
    }
    for name, data in entries.items():
        (folder / name).write_bytes(data)
        (good if "_good" in name else bad).append(str(folder / name))
    return good, bad


def run_mixed(folder: Path, timeout: float) -> list[Run]:
    good, bad = mixed_folder(folder / "mixed")
    runs = []
    parse = Run("mixed folder: parse", sum(Path(p).stat().st_size for p in good + bad))
    status, stdout, stderr, parse.seconds, parse.peak_bytes, parse.timed_out = run_lib(
        ["parse", str(folder / "mixed")], timeout, REPO_DIR)
    parse.status = status
    check_output(parse, stdout, stderr, bad, good)
    runs.append(parse)
    for path, line in zip(bad, parse.error_lines, strict=False):
        if not line.startswith(f"error: {path}: "):
            parse.problems.append(f"error line for {Path(path).name} missing or out of order")
    ingest = Run("mixed folder: ingest --workers 2", parse.size)
    store = folder / "store.duckdb"
    status, stdout, stderr, ingest.seconds, ingest.peak_bytes, ingest.timed_out = run_lib(
        ["ingest", str(folder / "mixed"), "--store", str(store), "--workers", "2",
         "--batch-size", "2"], timeout * 2, REPO_DIR)
    ingest.status = status
    errors = stderr.decode("utf-8", errors="replace")
    ingest.error_lines = [line for line in errors.splitlines() if line.startswith("error: ")]
    if "Traceback" in errors:
        ingest.problems.append("traceback")
    if ingest.timed_out:
        ingest.problems.append("timed out")
    if len(ingest.error_lines) != len(bad):
        ingest.problems.append(f"{len(ingest.error_lines)} error lines for {len(bad)} bad")
    summary = stdout.decode("utf-8", errors="replace")
    expected = f"documents: {len(good)} ({len(good)} parsed"
    if expected not in summary:
        ingest.problems.append(f"summary lacks {expected!r}")
    ingest.documents = len(good) if expected in summary else 0
    runs.append(ingest)
    return runs


# --------------------------------------------------------------------------- report


def verdict(runs: list[Run], timeout: float) -> list[tuple[str, bool, str]]:
    tracebacks = sum("traceback" in run.problems for run in runs)
    slow = [run for run in runs if run.timed_out or run.seconds > timeout]
    heavy = [run for run in runs if run.size < SMALL_INPUT_BYTES
             and run.peak_bytes >= MEMORY_TARGET_BYTES]
    bad_lines = [run for run in runs if any(p.startswith(("not an error line", "exit status",
                 "stdout", "good documents")) or "error lines" in p for p in run.problems)]
    mixed = [run for run in runs if run.name.startswith("mixed")]
    peak = max(run.peak_bytes for run in runs)
    return [
        ("0 tracebacks", tracebacks == 0, f"{tracebacks}"),
        (f"0 runs over {timeout:g} s", not slow, f"{len(slow)} (slowest "
         f"{max(run.seconds for run in runs):.1f} s)"),
        ("peak memory < 1 GB for inputs < 20 MB", not heavy,
         f"{len(heavy)} over (highest {peak / 2**20:,.0f} MB)"),
        ("every failure one `error: PATH: reason` line", not bad_lines,
         f"{len(bad_lines)} runs wrong"),
        ("mixed folder: good documents still out", all(not run.problems for run in mixed),
         "; ".join(p for run in mixed for p in run.problems) or "all out"),
    ]


def print_table(runs: list[Run]) -> None:
    print(f"{'input':<36} {'size':>9} {'exit':>4} {'docs':>4} {'wall s':>7} {'peak MB':>8}"
          "  reason / problems")
    for run in runs:
        status = "T/O" if run.timed_out else str(run.status)
        reason = run.error_lines[0].rsplit(": ", 1)[-1] if run.error_lines else ""
        if len(run.error_lines) > 1:
            reason = f"{len(run.error_lines)} error lines"
        note = "; ".join(run.problems) if run.problems else reason
        print(f"{run.name[:36]:<36} {_size(run.size):>9} {status:>4} {run.documents:>4} "
              f"{run.seconds:7.1f} {run.peak_bytes / 2**20:8,.0f}  {note[:70]}")


def _size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 2**20:.1f} MB"
    return f"{size / 1024:.1f} kB" if size >= 1024 else f"{size} B"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the mutations")
    parser.add_argument("--mutations", type=int, default=24, help="mutated articles")
    parser.add_argument("--quick", action="store_true", help="floods a tenth the size")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()
    cases = fuzz_cases(args.seed, args.mutations, args.quick) + odd_path_cases()
    if args.only:
        cases = [case for case in cases if args.only.lower() in case.name.lower()]
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="robustness-") as scratch:
        folder = Path(scratch)
        for case in tqdm(cases, desc="fuzz inputs", unit="run", file=sys.stderr):
            runs.append(run_case(case, folder, args.timeout))
        if not args.only:
            runs += run_mixed(folder, args.timeout)
    print(f"{len(runs)} runs, timeout {args.timeout:g} s, `python -m lib parse` per input, "
          f"{os.cpu_count()} cores\n")
    print_table(runs)
    print()
    results = verdict(runs, args.timeout)
    for label, passed, detail in results:
        print(f"{'PASS' if passed else 'FAIL'}  {label}: {detail}")
    return 0 if all(passed for _, passed, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
