"""The report of ``ictkg load``: one line per graph, then the switch; loading is left to others."""

from __future__ import annotations

from ictkg.namespaces import curie
from ictkg.stores.loads import EndpointLoad

__all__ = ["load_text"]


def load_text(load: EndpointLoad) -> str:
    """The load as text: per graph its triples, bytes, seconds and upload method.

    Args:
        load: what the loader did.

    Returns:
        Lines ending in a newline; the endpoint URL never shows a password.
    """
    lines = [f"loaded {load.endpoint} ({load.engine} engine), load {load.load_id}:"]
    width = max(len(curie(g.graph) or g.graph) for g in load.graphs)
    for graph in load.graphs:
        name = curie(graph.graph) or graph.graph
        lines.append(
            f"  {name:<{width}}  {graph.triples:>8} triples  {graph.bytes:>10} bytes  "
            f"{graph.seconds:6.2f} s  {graph.method}"
        )
    for dropped in load.dropped:
        lines.append(f"  {curie(dropped) or dropped:<{width}}  dropped (not in the new dataset)")
    lines.append(
        f"{load.triples} triples in {len(load.graphs)} graphs, switched in one update; "
        f"{load.seconds:.2f} s in all"
    )
    return "\n".join(lines) + "\n"
