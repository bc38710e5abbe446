"""Names derived from URLs: one harmless path component each, whatever the URL holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkcheck.archive.paths import MAX_NAME, host_folder, inside, pages_folder, safe_name, url_hash
from linkcheck.files import atomic_write

RESERVED = {"con", "prn", "aux", "nul"} | {f"{s}{d}" for s in ("com", "lpt") for d in "0123456789"}


@pytest.mark.parametrize(
    "text",
    [
        "../",
        "..",
        ".",
        "...",
        "/etc/passwd",
        "a/../../b",
        "\\\\server\\share",
        "C:\\Windows",
        "a\x00b",
        "CON",
        "con.txt",
        "Aux",
        "NUL",
        "nul.tar.gz",
        "COM1",
        "lpt9.log",
        "PRN",
        "x" * 1000,
        "",
        " ",
        "trailing. ",
        "\u202egnp.exe",
        "Straße.de",
    ],
)
def test_safe_name_is_one_harmless_component(tmp_path: Path, text: str) -> None:
    name = safe_name(text)
    assert name and len(name) <= MAX_NAME
    assert not set(name) & {"/", "\\", "\x00", ":"} and name.isascii()
    assert name not in (".", "..") and not name.startswith(".") and not name.endswith((".", " "))
    assert name.split(".")[0] not in RESERVED
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_long_names_stay_distinct() -> None:
    assert safe_name("a" * 200 + "1") != safe_name("a" * 200 + "2")
    assert safe_name("example.org") == "example.org"  # ordinary hosts are kept readable


@pytest.mark.parametrize(
    ("url", "folder"),
    [
        ("https://Example.org/a", "example.org"),
        ("http://example.org:8080/a", "example.org_8080"),
        ("http://[::1]:8080/", "_1_8080"),
        ("http://../x", "_"),
        ("http://con/x", "_con"),
        ("http://straße.de/", "xn--strae-oqa.de"),
        ("file:///etc/passwd", "no-host"),
    ],
)
def test_host_folder(url: str, folder: str) -> None:
    assert host_folder(url) == folder


def test_pages_folder_is_inside_the_root(tmp_path: Path) -> None:
    folder = pages_folder(tmp_path, "http://../../../etc/passwd")
    assert folder.parent.parent == tmp_path / "pages"
    assert folder.name == url_hash("http://../../../etc/passwd") and len(folder.name) == 20
    assert inside(tmp_path, folder)
    assert not inside(tmp_path, tmp_path / ".." / "elsewhere")


def test_symlink_out_of_the_archive_is_not_inside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "archive"
    root.mkdir()
    (root / "pages").symlink_to(outside)
    assert not inside(root, root / "pages" / "x")


def test_atomic_write_replaces_whole_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "meta.json"
    atomic_write(target, b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["meta.json"]
