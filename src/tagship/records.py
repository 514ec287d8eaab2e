"""`typing.NamedTuple`'s class syntax at the cost of `collections.namedtuple` alone.

`typing` imports `re` (and with it `enum` and `functools`): about 7 ms on every start of a
hook that imports it, where a cached push has 30 ms to spend in all. The modules on that
path define their NamedTuples with this base instead; mypy reads them as `typing`'s::

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from tagship.records import NamedTuple
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# What a class body holds that is not a field, a default or a method of its own.
_CLASS_ATTRIBUTES = frozenset({"__module__", "__qualname__", "__annotations__", "__dict__"})


class _Meta(type):
    def __new__(cls, name: str, bases: tuple[type, ...], body: dict[str, Any]) -> type:
        if not bases:  # the base class itself
            return super().__new__(cls, name, bases, body)
        fields = list(body.get("__annotations__", {}))  # in order; the types are strings
        defaults = [body[field] for field in fields if field in body]
        module = body["__module__"]
        made: type = namedtuple(name, fields, defaults=defaults, module=module)  # type: ignore[misc]
        for key, value in body.items():
            if key not in _CLASS_ATTRIBUTES and key not in fields:
                setattr(made, key, value)
        return made


class NamedTuple(metaclass=_Meta):
    """Subclass it as `typing.NamedTuple`: annotated fields, defaults, methods, docstring."""
