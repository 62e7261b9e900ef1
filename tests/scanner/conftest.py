"""The scanner's rule tests check the rules (the lexicon and the detectors) as they were written:
there the shipped text model is switched off, as `scan(..., model=None)` would. The model stage's
own tests (test_model*.py) pass a model explicitly or use the shipped one."""

import pytest

from moderation.scanner import model as model_module

MODEL_TESTS = ("test_model", "test_model_targets")


@pytest.fixture(autouse=True)
def _rules_only_unless_a_model_test(request, monkeypatch):
    if request.module.__name__.rsplit(".", 1)[-1] in MODEL_TESTS:
        return
    monkeypatch.setattr(model_module, "_default", [None])
