"""server/patches.py stands in for pieces of Rasa 3.6's code: fail as soon as they change."""
from __future__ import annotations

import logging

import pytest
import rasa.core.actions.action as rasa_action
import rasa.core.processor

from server import patches


@pytest.mark.parametrize("patch", sorted(patches.RASA_CODE))
def test_the_rasa_code_each_patch_replaces_is_unchanged(patch: str) -> None:
    assert patches.changed(patch) == [], (
        f"Rasa's code behind the {patch} changed: read it, adapt server/patches.py, update RASA_CODE")


def test_install_puts_both_patches_in_force(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa_action, "RemoteAction", patches.RemoteAction)
    monkeypatch.setattr(rasa.core.processor, "DaskGraphRunner", patches.DaskGraphRunner)
    assert set(patches.problems()) == {patches.ACTION_FALLBACK, patches.GRAPH_RUNNER}
    assert patches.install() == {}
    assert rasa_action.RemoteAction is patches.ResilientRemoteAction
    assert rasa.core.processor.DaskGraphRunner is patches.SequentialGraphRunner


def test_a_changed_rasa_installs_nothing_and_says_which_layer_and_why(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(rasa_action, "RemoteAction", patches.RemoteAction)
    monkeypatch.setattr(patches._Installed, "problems", {})
    code = {**patches.RASA_CODE, patches.ACTION_FALLBACK: {
        **patches.RASA_CODE[patches.ACTION_FALLBACK], "rasa.core.actions.action:RemoteAction.run": "0" * 16}}
    monkeypatch.setattr(patches, "RASA_CODE", code)
    with caplog.at_level(logging.ERROR):
        problems = patches.install()
    assert list(problems) == [patches.ACTION_FALLBACK]
    assert "RemoteAction.run" in problems[patches.ACTION_FALLBACK]
    assert rasa_action.RemoteAction is patches.RemoteAction  # Rasa's own, untouched
    assert "SAFETY LAYER MISSING: action-server fallback not installed" in caplog.text
