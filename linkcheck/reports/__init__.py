"""Reports: one module per format, each rendering the same RunResult."""
