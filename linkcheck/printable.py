"""Text from articles, pages and servers made safe to print: control characters shown, not obeyed.

A reason phrase or a URL may carry ESC, BEL or a bidirectional override; printed raw it can retitle a
terminal, hide a line or reorder what a reviewer reads. Every text output escapes them.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the invisible marks that reorder text (bidi embeddings and isolates).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_JSON_RAW = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE_BUT_LINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep_newlines: bool = False) -> str:
    """TEXT with every control character written as an escape (`\\x1b`, `\\u202e`) instead of itself."""
    pattern = _UNPRINTABLE_BUT_LINES if keep_newlines else _UNPRINTABLE
    return pattern.sub(_shown, text)


def visible_json(text: str) -> str:
    """JSON text with what json.dumps leaves raw (DEL, C1 controls, bidi marks) as \\u escapes: still
    valid JSON, since those characters only occur inside strings (C0 ones json.dumps escapes itself)."""
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
