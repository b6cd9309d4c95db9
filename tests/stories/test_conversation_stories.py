"""Every dialogue flow as Rasa test stories, failing on any wrong prediction."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT
from tests.support.rasa_cli import rasa, tail


def test_stories_predict_without_errors(trained_model: Path, tmp_path: Path) -> None:
    done = rasa("test", "core", "--model", str(trained_model),
                "--stories", str(ROOT / "tests" / "stories" / "test_stories.yml"),
                "--fail-on-prediction-errors", "--out", str(tmp_path))
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else ""
    assert done.returncode == 0, tail(done) + "\n" + detail
