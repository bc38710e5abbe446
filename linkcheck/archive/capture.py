"""What archiving one download produced (the records live in models, shared with the check stage)."""

from linkcheck.models import Capture, Drift

__all__ = ["Capture", "Drift"]
