"""linkcheck: harvest, check, flag and archive the citations in published articles."""

__version__ = "0.1.0"
