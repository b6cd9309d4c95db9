"""Run Rasa's prediction graph in plain Python, in order, without dask.

Rasa runs its graph three times a turn (parse the message, then predict twice) through
dask's local scheduler, which rebuilds the task graph, its dependency maps and a thread
pool bookkeeping on every run: an eighth of a short turn's CPU (bench/RESULTS.md). The
prediction graph is small and every node runs in this one thread anyway, so this runner
works out each set of targets' nodes in dependency order once, and then calls Rasa's own
`GraphNode`s in that order. Each node gets exactly what dask would hand it: a
`(node name, output)` pair per input.

`install()` makes Rasa load models with it (ops.launch does this); training keeps dask.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

import rasa.core.processor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import ExecutionContext, GraphNode, GraphNodeHook, GraphSchema
from rasa.engine.runner.interface import GraphRunner
from rasa.engine.storage.storage import ModelStorage

logger = logging.getLogger(__name__)

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


def install() -> None:
    """Make Rasa's processor load models with the SequentialGraphRunner."""
    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner  # the name Rasa loads models with
