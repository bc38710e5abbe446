"""Failures of the tool itself (a dead link is data, never one of these)."""


class LinkcheckError(Exception):
    """Base of the tool's own errors; the CLI turns them into exit code 2."""


class ConfigError(LinkcheckError):
    """The configuration is missing, unreadable or invalid."""


class SourceReadError(LinkcheckError):
    """One source could not be read or harvested; the run goes on without it."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


def describe(exc: BaseException) -> str:
    """One line naming what failed: the file and the system's reason for OS errors, else the error."""
    if isinstance(exc, LinkcheckError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
