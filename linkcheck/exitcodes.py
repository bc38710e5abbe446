"""Exit codes, in one place."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # nothing at or above fail_on
    FINDINGS = 1  # findings at or above fail_on
    ERROR = 2  # usage, configuration or input errors
