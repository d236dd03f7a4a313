"""`make run` and `make test` as dry runs (`make -n`) against a scratch VENV: what each
installs, what it says while doing so, and that the stamps keep both idempotent."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RUNTIME_STAMP = ".installed-runtime"
DEV_STAMP = ".installed-dev"

if shutil.which("make") is None:
    pytest.skip("no `make` on this machine", allow_module_level=True)


def dry_run(target: str, venv: Path, *extra: str) -> list[str]:
    """The commands `make TARGET` would run, one per line (echo lines included)."""
    result = subprocess.run(["make", "--no-print-directory", "-n", target, f"VENV={venv}", *extra],
                            cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.splitlines()


def pip_installs(lines: list[str]) -> list[str]:
    """The requirement files installed, in order (`pip install ... -r FILE`)."""
    files = []
    for line in lines:
        words = line.split()
        if "pip" in " ".join(words[:1]) and "install" in words and "-r" in words:
            files.append(words[words.index("-r") + 1])
    return files


def first_line_with(lines: list[str], text: str) -> int:
    matches = [number for number, line in enumerate(lines) if text in line]
    assert matches, f"no line with {text!r} in:\n" + "\n".join(lines)
    return matches[0]


def fake_venv(folder: Path, *stamps: str) -> Path:
    """A venv as make sees it: its python, and stamps newer than every requirements file."""
    (folder / "bin").mkdir(parents=True)
    (folder / "bin" / "python").touch()
    future = time.time() + 3600
    for offset, stamp in enumerate(stamps):  # later stamps are newer
        path = folder / stamp
        path.touch()
        os.utime(path, (future + offset, future + offset))
    return folder


def test_run_installs_only_the_dashboards_requirements(tmp_path):
    lines = dry_run("run", tmp_path / "venv")
    assert pip_installs(lines) == ["requirements.txt"]
    assert not any("requirements-dev.txt" in line for line in lines)


def test_run_says_each_step_before_it_runs_it(tmp_path):
    venv = tmp_path / "venv"
    lines = dry_run("run", venv, "PORT=8642")
    steps = [
        (f"creating the environment in {venv}", "-m venv"),
        ("installing the dashboard's packages", "-r requirements.txt"),
        ("preparing the demo corpus", "-m lib ingest"),
        ("starting the dashboard at http://localhost:8642", "streamlit run"),
    ]
    positions = []
    for message, command in steps:
        said, done = first_line_with(lines, message), first_line_with(lines, command)
        assert lines[said].lstrip().startswith("echo"), lines[said]
        assert said < done, (message, command)
        positions.append(done)
    assert positions == sorted(positions)


def test_the_long_install_shows_pips_progress(tmp_path):
    lines = dry_run("run", tmp_path / "venv")
    install = lines[first_line_with(lines, "-r requirements.txt")]
    assert "--quiet" not in install.split() and "-q" not in install.split()


def test_test_installs_the_runtime_then_the_dev_requirements_and_runs_pytest(tmp_path):
    lines = dry_run("test", tmp_path / "venv")
    assert pip_installs(lines) == ["requirements.txt", "requirements-dev.txt"]
    assert first_line_with(lines, "-r requirements-dev.txt") < first_line_with(lines, "-m pytest")


@pytest.mark.parametrize(("stamps", "target", "expected"), [
    # a fresh venv made by `make run`: `make test` adds the dev tools only
    ((RUNTIME_STAMP,), "test", ["requirements-dev.txt"]),
    ((RUNTIME_STAMP,), "run", []),
    # everything up to date: nothing to install
    ((RUNTIME_STAMP, DEV_STAMP), "test", []),
    ((RUNTIME_STAMP, DEV_STAMP), "run", []),
    # the runtime set reinstalled since the dev tools were (a changed requirements.txt)
    ((DEV_STAMP, RUNTIME_STAMP), "test", ["requirements-dev.txt"]),
    # a venv without stamps (an older Makefile's): both sets
    ((), "test", ["requirements.txt", "requirements-dev.txt"]),
    ((), "run", ["requirements.txt"]),
])
def test_stamps_install_only_what_is_missing_or_older(tmp_path, stamps, target, expected):
    venv = fake_venv(tmp_path / "venv", *stamps)
    lines = dry_run(target, venv)
    assert pip_installs(lines) == expected
    assert not any(" -m venv" in line for line in lines)  # its python is there
