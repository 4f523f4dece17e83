"""A small state graph in the style of LangGraph's StateGraph, in plain Python.

Nodes are functions that take the state (a dict) and return the keys they change; edges say which
node runs next, fixed or chosen by a function of the state. Enough to show where Agentry fits
into a graph-shaped agent; with LangGraph itself the nodes below carry over unchanged.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Mapping, Optional

State = Dict[str, Any]
Node = Callable[[State], Mapping[str, Any]]
Router = Callable[[State], str]

END = "__end__"


class StateGraph:
    def __init__(self) -> None:
        self._nodes: Dict[str, Node] = {}
        self._edges: Dict[str, str] = {}
        self._routers: Dict[str, Router] = {}
        self._entry: Optional[str] = None

    def add_node(self, name: str, node: Node) -> "StateGraph":
        self._nodes[name] = node
        return self

    def add_edge(self, source: str, target: str) -> "StateGraph":
        self._edges[source] = target
        return self

    def add_conditional_edges(self, source: str, router: Router) -> "StateGraph":
        self._routers[source] = router
        return self

    def set_entry_point(self, name: str) -> "StateGraph":
        self._entry = name
        return self

    def invoke(self, state: State, max_steps: int = 50) -> State:
        """Runs nodes from the entry point until an edge leads to END."""
        if self._entry is None:
            raise ValueError("the graph has no entry point")
        current = self._entry
        for _ in range(max_steps):
            state = {**state, **self._nodes[current](state)}
            router = self._routers.get(current)
            current = router(state) if router else self._edges.get(current, END)
            if current == END:
                return state
        raise RuntimeError(f"the graph ran {max_steps} steps without reaching END")
