"""Exit 1, naming them, when any two kneecap modules import each other, directly or through
others (used by make lint). A function-level import that dodges a cycle still counts."""

from __future__ import annotations

import sys

import grimp


def cycles(package: str = "kneecap") -> list[str]:
    graph = grimp.build_graph(package)
    found = []
    for module in sorted(graph.modules):
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if module < other and graph.chain_exists(importer=other, imported=module):
                found.append(f"{module} <-> {other}")
    return found


if __name__ == "__main__":
    found = cycles()
    for pair in found:
        print(f"import cycle: {pair}", file=sys.stderr)
    sys.exit(1 if found else 0)
