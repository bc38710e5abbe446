"""The state stage: what runs remember between them.

store.py is the only importer of sqlite3; history.py holds the pure rules (streaks, confirmed death,
flapping, due rechecks); run.py is what one run reads and records; lock.py keeps one run at a time.
"""
