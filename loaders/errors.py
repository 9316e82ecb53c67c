"""The one error type of the loaders: bad input, named by file and reason."""

from pathlib import Path


class ReportError(Exception):
    """A report that cannot be read or is not a 特定個人情報保護評価書.

    The message is one line: ``<file>: <reason>``, fit for a CLI error and a log.
    """

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
