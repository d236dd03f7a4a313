"""Shared fixtures. Data in ../shared is for local checks only: tests skip without it."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_DIR.parent / "shared"
REFERENCE_PAGE = SHARED_DIR / "seeds" / "000_a003269928774319.txt"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent: shared data is not part of a fresh clone")
    return SHARED_DIR


@pytest.fixture(scope="session")
def reference_page_path() -> Path:
    if not REFERENCE_PAGE.is_file():
        pytest.skip(f"reference page {REFERENCE_PAGE} is absent (not part of a fresh clone)")
    return REFERENCE_PAGE


@pytest.fixture(scope="session")
def nlp():
    from lib.nlp import load_pipeline

    return load_pipeline()
