"""sync_filesystem: the filesystem of one path flushed (syncfs), os.sync() only where syncfs is missing."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from linkcheck import files


def test_the_filesystem_of_a_folder_is_synced_without_a_machine_wide_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if files._syncfs() is None:
        pytest.skip("no syncfs in this C library")

    def no_machine_wide_sync() -> None:
        raise AssertionError("os.sync() called")

    monkeypatch.setattr(files.os, "sync", no_machine_wide_sync)
    (tmp_path / "copy.txt").write_bytes(b"x")
    files.sync_filesystem(tmp_path)
    files.sync_filesystem(str(tmp_path / "copy.txt"))  # a file names its filesystem as well


def test_without_syncfs_every_filesystem_is_synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(files, "_syncfs", lambda: None)
    monkeypatch.setattr(files.os, "sync", lambda: calls.append("sync"))
    files.sync_filesystem(tmp_path)
    assert calls == ["sync"]


def test_a_failed_syncfs_raises_naming_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(fd: int) -> int:
        files.ctypes.set_errno(errno.EIO)
        return -1

    monkeypatch.setattr(files, "_syncfs", lambda: failing)
    with pytest.raises(OSError, match=str(tmp_path)) as raised:
        files.sync_filesystem(tmp_path)
    assert raised.value.errno == errno.EIO


def test_a_missing_path_raises() -> None:
    with pytest.raises(FileNotFoundError):
        files.sync_filesystem("/nonexistent/linkcheck-sync-test")
