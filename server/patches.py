"""The only patches to Rasa's internals, where Rasa 3.6 has no extension point.

Everything else Code & Care adds to Rasa is loaded by name from config.yml, endpoints.yml
and credentials.yml. Two things cannot be:

1. **The action-server fallback.** Rasa 3.6 calls the action server with a fixed 300 s
   timeout (not configurable) and, when the call fails, logs the error and sends nothing:
   the user sees silence. `ResilientRemoteAction` bounds the call to
   `CODECARE_ACTION_TIMEOUT` seconds (4) and turns any failure into the knowledge's
   `fallback.unavailable` answer, with that answer_id in the bot event's metadata. Nothing
   is cached: the next turn calls the action server again. It also checks the action
   server's reply against Rasa's schema event by event (same verdict, a fraction of the
   cost: bench/RESULTS.md). Rasa builds custom actions through the module-level name
   `rasa.core.actions.action.RemoteAction`; `install()` points that name at the subclass.
2. **The graph runner.** Rasa runs its prediction graph three times a turn through dask's
   local scheduler, which rebuilds its bookkeeping on every run: an eighth of a short
   turn's CPU. `SequentialGraphRunner` calls Rasa's own `GraphNode`s in dependency order,
   worked out once; each node gets exactly what dask would hand it. `install()` points
   `rasa.core.processor.DaskGraphRunner` (the name Rasa loads models with) at it;
   training keeps dask.

`install()` is called by the extensions Rasa loads before it loads the model (the tracker
store and the channels), so `rasa run`, `rasa shell` and the images all get it, however
they are started. It first compares the Rasa code these patches stand in for with the
fingerprints below (`RASA_CODE`); when Rasa changed, it installs nothing and logs why, and
readiness (`/webhooks/health/ready`) answers 503 naming the missing layer.
tests/server/test_patches.py fails on the same change, before a release does.
"""
from __future__ import annotations

import asyncio
import functools
import hashlib
import importlib
import inspect
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

import rasa.core.actions.action as rasa_action
import rasa.core.processor
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.core.channels.channel import OutputChannel
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import ExecutionContext, GraphNode, GraphNodeHook, GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.runner.interface import GraphRunner
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from carekb import contract, load_knowledge
from codecare import settings

logger = logging.getLogger(__name__)

ACTION_FALLBACK = "action-server fallback"
GRAPH_RUNNER = "graph runner"

# The Rasa code each patch stands in for or relies on: sha256 of its source (first 16 hex
# digits), as in Rasa 3.6.21. A change means: read the new code, adapt the patch, update.
RASA_CODE: Dict[str, Dict[str, str]] = {
    ACTION_FALLBACK: {
        "rasa.core.actions.action:action_for_name_or_text": "a63fb2d066efa0bc",
        "rasa.core.actions.action:RemoteAction.run": "ccabf6f1160d527a",
        "rasa.core.actions.action:RemoteAction._validate_action_result": "f8cdb4be68123961",
        "rasa.core.actions.action:RemoteAction.action_response_format_spec": "091b74aa3738d126",
    },
    GRAPH_RUNNER: {
        "rasa.core.processor:MessageProcessor._load_model": "17f24faf96817bdf",
        "rasa.engine.runner.dask:DaskGraphRunner.run": "45f0f52f574f3aa9",
        "rasa.engine.runner.dask:DaskGraphRunner._build_dask_graph": "5bb99f974d512a36",
    },
}


# Rasa's classes as imported before any patch: the fingerprints are of Rasa's code, not ours.
_ORIGINALS = {"RemoteAction": RemoteAction, "DaskGraphRunner": DaskGraphRunner}


def fingerprint(target: str) -> str:
    """sha256 (16 hex digits) of the source of `module:qualified.name`."""
    module, _, name = target.partition(":")
    obj: Any = importlib.import_module(module)
    for part in name.split("."):
        obj = _ORIGINALS.get(part) if obj is not None and part in _ORIGINALS else getattr(obj, part)
    return hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]


def changed(patch: str) -> List[str]:
    """The pieces of Rasa code behind `patch` that are not what the patch was written for."""
    return [target for target, expected in RASA_CODE[patch].items() if fingerprint(target) != expected]


Step = Tuple[Text, Tuple[Text, ...]]  # a node's name, and the names it needs


class SequentialGraphRunner(GraphRunner):
    """A GraphRunner that calls the nodes a run needs one after another."""

    def __init__(self, graph_schema: GraphSchema, model_storage: ModelStorage,
                 execution_context: ExecutionContext, hooks: Optional[List[GraphNodeHook]] = None) -> None:
        self._graph_schema = graph_schema
        self._nodes: Dict[Text, GraphNode] = {
            name: GraphNode.from_schema_node(name, node, model_storage, execution_context, hooks)
            for name, node in graph_schema.nodes.items()
        }
        self._plans: Dict[Tuple[Text, ...], List[Step]] = {}

    @classmethod
    def create(cls, graph_schema: GraphSchema, model_storage: ModelStorage,
               execution_context: ExecutionContext,
               hooks: Optional[List[GraphNodeHook]] = None) -> "SequentialGraphRunner":
        return cls(graph_schema, model_storage, execution_context, hooks)

    def run(self, inputs: Optional[Dict[Text, Any]] = None,
            targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        """Runs the graph (see Rasa's GraphRunner for the full docstring)."""
        targets = list(targets or self._graph_schema.target_names)
        results: Dict[Text, Any] = {}
        for name, value in (inputs or {}).items():
            if name in self._nodes:
                raise GraphRunError(f"Input '{name}' clashes with a node name. Make sure that none of "
                                    f"the input names passed to `run` are node names in the graph.")
            results[name] = (name, value)
        try:
            for name, needs in self._plan(tuple(targets)):
                results[name] = self._nodes[name](*(results.get(need, need) for need in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(results[target] for target in targets)  # as dask: {node name: output}

    def _plan(self, targets: Tuple[Text, ...]) -> List[Step]:
        """The nodes the targets depend on, each after the nodes it needs (worked out once)."""
        if targets in self._plans:
            return self._plans[targets]
        order: List[Step] = []
        done: set = set()

        def visit(name: Text) -> None:
            node = self._graph_schema.nodes.get(name)
            if name in done or node is None:  # already planned, or an input placeholder
                return
            done.add(name)
            for need in node.needs.values():
                visit(need)
            order.append((name, tuple(node.needs.values())))

        for target in targets:
            visit(target)
        self._plans[targets] = order
        return order


def unavailable_text(knowledge_dir: Path) -> str:
    """The knowledge's own words for "try again later" (edited there, not here)."""
    return load_knowledge(knowledge_dir).entry(contract.UNAVAILABLE).text.strip()


class ResilientRemoteAction(RemoteAction):
    """RemoteAction with a bounded call and a polite reply instead of silence on failure."""

    unavailable = ""
    timeout = settings.ACTION_TIMEOUT_SECONDS

    def _validate_action_result(self, result: Dict[Text, Any]) -> bool:
        """Rasa's check of the action server's reply: same schema, same verdict, faster.

        Rasa calls `jsonschema.validate`, which re-checks the large events schema against
        its meta-schema on every call, then tries every event against all 23 branches of
        the schema's `oneOf`: most of a short turn's CPU (bench/RESULTS.md).
        """
        try:
            _response_validator().validate(result)
            return True
        except ValidationError as error:
            error.message += (". Failed to validate Action server response from API, make sure "
                              "your response from the Action endpoint is valid.")
            raise error

    async def run(self, output_channel: OutputChannel, nlg: NaturalLanguageGenerator,
                  tracker: DialogueStateTracker, domain: Domain) -> List[Event]:
        try:
            return await asyncio.wait_for(super().run(output_channel, nlg, tracker, domain),
                                          self.timeout)
        except ActionExecutionRejection:
            raise  # the action server answered and declined: Rasa's own handling applies
        except Exception as error:  # noqa: BLE001 - down, hung, 5xx or a malformed reply
            if isinstance(error, asyncio.TimeoutError):
                reason = f"no answer within {self.timeout:g} s"
            else:
                reason = f"{error}; {error.__cause__}" if error.__cause__ else str(error)
            logger.error("Action server unavailable for '%s' (%s); replying '%s'.",
                         self.name(), reason, contract.UNAVAILABLE)
            return [create_bot_utterance({"text": self.unavailable, "answer_id": contract.UNAVAILABLE})]


class ResponseValidator:
    """RemoteAction.action_response_format_spec, checked event by event against the one
    branch of the event schema's `oneOf` that the event's name selects.

    Every branch fixes `event` to a different constant, so an event satisfies exactly one
    branch (as `oneOf` demands) if and only if it satisfies the one named by its `event`;
    an unknown or missing name satisfies none. Built once, from Rasa's own schema.
    """

    def __init__(self, spec: Dict[Text, Any]) -> None:
        event_schema = spec["properties"]["events"]["items"]
        common = {k: v for k, v in event_schema.items() if k != "oneOf"}
        envelope = {**spec, "properties": {**spec["properties"], "events": {"type": "array"}}}
        self.envelope = _compiled(envelope)
        self.common = _compiled(common)
        self.branches: Dict[str, Any] = {}
        for branch in event_schema["oneOf"]:
            name = branch["properties"]["event"]["const"]
            if name in self.branches:
                raise ValueError(f"two branches of the events schema are named {name!r}")
            self.branches[name] = _compiled(branch)  # checked after `common`

    def validate(self, result: Any) -> None:
        """Raise jsonschema's ValidationError where Rasa's check would fail."""
        self.envelope.validate(result)
        for event in result.get("events") or []:
            self.common.validate(event)
            branch = self.branches.get(event["event"])
            if branch is None:
                raise ValidationError(f"{event!r} is not valid under any of the given schemas")
            branch.validate(event)


def _compiled(schema: Dict[Text, Any]) -> Any:
    validator = validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


@functools.lru_cache(maxsize=1)
def _response_validator() -> ResponseValidator:
    return ResponseValidator(RemoteAction.action_response_format_spec())



class _Installed:
    problems: Dict[str, str] = {}  # patch -> why it was not installed


def _install_action_fallback(knowledge_dir: Optional[Path] = None) -> None:
    ResilientRemoteAction.unavailable = unavailable_text(knowledge_dir or settings.knowledge_dir())
    ResilientRemoteAction.timeout = settings.action_timeout()
    rasa_action.RemoteAction = ResilientRemoteAction  # what action_for_name_or_text builds


def _install_graph_runner() -> None:
    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner  # the name Rasa loads models with


INSTALLERS = {ACTION_FALLBACK: _install_action_fallback, GRAPH_RUNNER: _install_graph_runner}
INSTALLED_CLASSES = {ACTION_FALLBACK: (rasa_action, "RemoteAction", "ResilientRemoteAction"),
                     GRAPH_RUNNER: (rasa.core.processor, "DaskGraphRunner", "SequentialGraphRunner")}


def install() -> Dict[str, str]:
    """Install both patches where Rasa's code is the code they were written for (idempotent;
    an installed patch is refreshed with the current settings, e.g. CODECARE_ACTION_TIMEOUT).

    Returns the problems: {patch: why it is not installed}, also logged once as an ERROR.
    """
    for patch, installer in INSTALLERS.items():
        if patch in _Installed.problems:
            continue
        different = [] if _in_force(patch) else changed(patch)
        if different:
            _Installed.problems[patch] = (f"Rasa's code changed since the patch was written: {', '.join(different)} "
                                          "(server/patches.py, RASA_CODE)")
            logger.error("SAFETY LAYER MISSING: %s not installed: %s", patch, _Installed.problems[patch])
            continue
        installer()
    return problems()


def _in_force(patch: str) -> bool:
    module, name, ours = INSTALLED_CLASSES[patch]
    return getattr(getattr(module, name), "__name__", "") == ours


def problems() -> Dict[str, str]:
    """{patch: why it is not in force} for each patch that Rasa would not use right now."""
    found = dict(_Installed.problems)
    for patch in INSTALLED_CLASSES:
        if patch not in found and not _in_force(patch):
            found[patch] = "not installed (server.patches.install() was not called before Rasa loaded the model)"
    return found
