"""Fast positional constructors for the frozen, slotted record classes a rerun makes by the 100,000.

A frozen dataclass's `__init__` sets each field through `object.__setattr__`, looked up anew for every
field: building a nine-field Citation took about 2 µs, half of it that lookup. `positional(cls)` gives a
function taking every field in order that sets each slot through its own descriptor, bound once, in
straight-line code (about 1.1 µs for a Citation). It makes the same object `cls(*values)` makes: it is
refused for a class with `__post_init__`, without slots, or not a dataclass, and takes every field,
no defaults.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

_Record = TypeVar("_Record")


def positional(cls: type[_Record]) -> Callable[..., _Record]:
    """A function `(field1, field2, ...) -> cls` equal to `cls(field1, field2, ...)`, with every field given."""
    if not dataclasses.is_dataclass(cls) or not isinstance(cls, type):
        raise TypeError(f"{cls!r} is not a dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has __post_init__: its constructor does more than set fields")
    names = [field.name for field in dataclasses.fields(cls)]
    if any(not field.init for field in dataclasses.fields(cls)) or getattr(cls, "__slots__", None) is None:
        raise TypeError(f"{cls.__name__} needs slots and every field in __init__")
    setters = {f"_set_{index}": cls.__dict__[name].__set__ for index, name in enumerate(names)}
    arguments = ", ".join(f"v{index}" for index in range(len(names)))
    body = "".join(f"    _set_{index}(record, v{index})\n" for index in range(len(names)))
    source = f"def build({arguments}):\n    record = _new(_cls)\n{body}    return record\n"
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, **setters}
    exec(compile(source, f"<positional {cls.__name__}>", "exec"), namespace)  # noqa: S102 - our own generated code
    build: Callable[..., _Record] = namespace["build"]
    build.__doc__ = f"{cls.__name__}(*fields), faster (linkcheck.builders.positional)."
    return build
