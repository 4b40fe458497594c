"""The one way a run stops: ``Failure``, a sentence for the reader and an exit code.

The shell's ``fail()`` (in the CLI) turns it into the printed sentence, the Actions error
annotations and the process exit code.
"""

from __future__ import annotations

from collections.abc import Sequence

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2


class Failure(Exception):
    """A run that cannot go on; ``sentence`` tells the reader what to do."""

    def __init__(self, sentence: str, code: int = EXIT_FAILED, annotations: Sequence[object] = ()):
        super().__init__(sentence)
        self.sentence = sentence
        self.code = code
        self.annotations = annotations
