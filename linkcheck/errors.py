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
