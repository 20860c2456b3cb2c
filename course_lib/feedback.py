"""An nbgrader feedback preprocessor that keeps hidden tests hidden.

nbgrader stores each test cell *with* its hidden tests and restores them before
autograding, so the autograded notebook, and by default the feedback generated
from it, shows the hidden tests' code, both in the cell and in the tracebacks of
failed asserts. :class:`HideHiddenTests` removes the
``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` region from every cell and
shortens every error to its one-line message (the tests' messages say what is
wrong without giving answers). It is enabled in ``nbgrader_config.py``.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

_HIDDEN = re.compile(r"[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*\n?", re.DOTALL)


class HideHiddenTests(Preprocessor):
    """Strip hidden-test regions from sources and reduce tracebacks to ``ename: evalue``."""

    enabled = Bool(True, help="nbconvert skips preprocessors that are not enabled").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            cell.source = _HIDDEN.sub("", cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
