"""The prediction graph run without dask gives exactly what Rasa's dask runner gives."""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, List, Type

import pytest
import rasa.core.processor
from rasa.core.agent import Agent
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server import patches as graph_runner
from server.patches import SequentialGraphRunner

MESSAGES = ["what does an ai ethicist do?", "hi! how do I use this?", "I'm a nurse, which role suits me?",
            "my chest hurts, what should I take", "qwertyuiop", "/ask_about{\"topic\": \"concept.nlp\"}"]


def outputs(model: Path, runner: Type[Any], monkeypatch: pytest.MonkeyPatch) -> List[Dict[str, Any]]:
    """Each message's parse, and the action predicted after it and after the answer."""
    monkeypatch.setattr(rasa.core.processor, "DaskGraphRunner", runner)
    agent = Agent.load(str(model))
    assert isinstance(agent.processor.graph_runner, runner)
    results = []
    for text in MESSAGES:
        parsed = asyncio.run(agent.parse_message(text))
        tracker = DialogueStateTracker.from_events("u", [ActionExecuted("action_listen"),
                                                         UserUttered(text, parsed["intent"], parsed["entities"], parsed)],
                                                   agent.domain.slots)
        after_message = predicted(agent, tracker)
        tracker.update(ActionExecuted(after_message["action"]))
        results.append({"parse": parsed, "after message": after_message, "after answer": predicted(agent, tracker)})
    return results


def predicted(agent: Agent, tracker: DialogueStateTracker) -> Dict[str, Any]:
    prediction = agent.processor.predict_next_with_tracker(tracker)
    best = max(prediction["scores"], key=lambda s: s["score"])
    return {"action": best["action"], "scores": prediction["scores"], "policy": prediction["policy"]}


def test_the_sequential_runner_gives_what_dask_gives(trained_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = outputs(trained_model, SequentialGraphRunner, monkeypatch)
    assert ours == outputs(trained_model, DaskGraphRunner, monkeypatch)
    assert ours[0]["parse"]["intent"]["name"] == "ask_about"
    assert [(r["after message"]["action"], r["after answer"]["action"]) for r in ours] == \
        [("action_answer", "action_listen")] * len(MESSAGES)


def test_install_points_rasa_at_the_sequential_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa.core.processor, "DaskGraphRunner", DaskGraphRunner)
    graph_runner.install()
    assert rasa.core.processor.DaskGraphRunner is SequentialGraphRunner
