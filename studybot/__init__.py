"""studybot: runs a weekly study group kept in a GitHub repository."""

__version__ = "0.1.0"
