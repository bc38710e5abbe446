"""The cookie jar of `--cookie-jar FILE` / `[check] cookie_jar`: one jar for every request of a command,
read from a Netscape cookies.txt before the first request and written back when the Fetcher closes."""

from __future__ import annotations

import http.cookiejar
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from linkcheck.errors import ConfigError


class SharedCookieJar(http.cookiejar.MozillaCookieJar):
    """A MozillaCookieJar that worker threads can share.

    CookieJar locks its own reads and writes, but not iteration, and requests iterates the jar to
    copy it into every request: iterating under the same lock keeps a cookie stored by one worker
    from changing the jar while another copies it.
    """

    def __iter__(self) -> Iterator[http.cookiejar.Cookie]:
        with self._cookies_lock:  # type: ignore[attr-defined]  # CookieJar's own lock
            return iter(list(super().__iter__()))


def open_jar(path: str) -> SharedCookieJar:
    """The jar kept in `path` (empty when the file does not exist yet); ConfigError when it is not a
    Netscape cookie file."""
    jar = SharedCookieJar(path)
    if not Path(path).parent.is_dir():  # found now, not when the jar is written back after the run
        raise ConfigError(f"{path}: cannot keep a cookie jar there: no such folder")
    if Path(path).exists():
        try:
            # Session cookies (no expiry) are kept: the file carries them from one run to the next.
            jar.load(ignore_discard=True, ignore_expires=False)
        except (http.cookiejar.LoadError, OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the cookie jar (Netscape cookies.txt format): {exc}") from None
    return jar


def save_jar(jar: SharedCookieJar) -> None:
    """Write the jar back to its file, readable by its owner only (cookies are credentials), atomically."""
    target = Path(jar.filename or "")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    os.close(handle)  # mkstemp made it 0600; save() opens it again by name
    try:
        jar.save(temporary, ignore_discard=True, ignore_expires=False)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
