"""The package's import graph: no module imports one that imports it back.

The layer rules themselves are import-linter contracts (pyproject.toml, `lint-imports` in CI);
import-linter has no contract for cycles among siblings, so grimp's graph is asked here.
"""

from __future__ import annotations

import grimp


def test_no_module_of_the_package_is_part_of_an_import_cycle():
    """A cycle makes the layers meaningless: every module must be importable before the ones that use it."""
    graph = grimp.build_graph("studybot")
    cycles = sorted(
        (module, other)
        for module in graph.modules
        for other in graph.find_modules_directly_imported_by(module)
        if graph.find_shortest_chain(importer=other, imported=module) is not None
    )
    assert cycles == []
