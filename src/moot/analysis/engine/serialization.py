"""Plain-JSON conversion for the engine's dataclasses.

Every input and result type of the engine is a dataclass made of strings, numbers, booleans,
enums, tuples, dicts with string keys, optional values and other such dataclasses. This module
turns them into JSON-compatible values (``dict``/``list``/``str``/``int``/``float``/``bool``/
``None``) and back, driven by the type annotations, so each class only needs a two-line
``to_dict``/``from_dict`` pair.

A union of dataclasses (for example the theme edit operations) is written with an ``"op"``
discriminator taken from each class's ``OP`` class variable.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

_HINTS_CACHE: dict[type, dict[str, Any]] = {}


_SCALARS = frozenset({str, int, float, bool, type(None)})
_ENCODERS: dict[type, Callable[[Any], Any]] = {}


def to_jsonable(value: object) -> Any:
    """Convert a dataclass tree into JSON-compatible Python values."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    encoder = _ENCODERS.get(kind)
    if encoder is None:
        encoder = _ENCODERS[kind] = _make_encoder(kind)
    return encoder(value)


def _encode_sequence(value: Any) -> list[Any]:
    scalars = _SCALARS
    return [item if type(item) in scalars else to_jsonable(item) for item in value]


def _encode_mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    scalars = _SCALARS
    for key, item in value.items():
        if type(key) is not str:
            if isinstance(key, str):
                key = str(key)
            else:
                raise TypeError(f"JSON object keys must be strings, got {key!r}")
        result[key] = item if type(item) in scalars else to_jsonable(item)
    return result


def _make_encoder(kind: type) -> Callable[[Any], Any]:
    if dataclasses.is_dataclass(kind):
        names = tuple(f.name for f in dataclasses.fields(kind))
        op = getattr(kind, "OP", None)
        scalars = _SCALARS

        def encode_dataclass(value: Any) -> dict[str, Any]:
            out: dict[str, Any] = {"op": op} if isinstance(op, str) else {}
            for name in names:
                item = getattr(value, name)
                out[name] = item if type(item) in scalars else to_jsonable(item)
            return out

        return encode_dataclass
    if issubclass(kind, enum.Enum):
        return lambda value: to_jsonable(value.value)
    if issubclass(kind, str | int | float):  # subclasses of scalars
        return lambda value: to_jsonable(value.item() if hasattr(value, "item") else value)
    if issubclass(kind, Mapping):
        return _encode_mapping
    if issubclass(kind, set | frozenset):
        return lambda value: sorted(to_jsonable(item) for item in value)
    if issubclass(kind, list | tuple):
        return _encode_sequence
    if callable(getattr(kind, "item", None)):  # numpy scalars
        return lambda value: to_jsonable(value.item())
    raise TypeError(f"cannot convert {kind.__name__} to JSON")


def from_jsonable(target: type[T], data: Any) -> T:
    """Rebuild an instance of ``target`` (a dataclass type) from :func:`to_jsonable` output."""
    return typing.cast(T, _decode(target, data))


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS_CACHE.get(cls)
    if hints is None:
        hints = typing.get_type_hints(cls)
        _HINTS_CACHE[cls] = hints
    return hints


def _decode(tp: Any, data: Any) -> Any:
    if tp is Any or tp is object:
        return data
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return _decode_union(typing.get_args(tp), data)
    if origin is typing.Literal:
        if data not in typing.get_args(tp):
            raise ValueError(f"{data!r} is not one of {typing.get_args(tp)}")
        return data
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(data, Mapping):
            raise TypeError(f"expected an object for {tp.__name__}, got {type(data).__name__}")
        hints = _hints(tp)
        kwargs = {
            field.name: _decode(hints[field.name], data[field.name])
            for field in dataclasses.fields(tp)
            if field.init and field.name in data
        }
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if origin in (list, tuple, set, frozenset):
        args = typing.get_args(tp)
        if not isinstance(data, list | tuple):
            raise TypeError(f"expected a list for {tp}, got {type(data).__name__}")
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            return tuple(_decode(arg, item) for arg, item in zip(args, data, strict=True))
        item_type = args[0] if args else Any
        items = [_decode(item_type, item) for item in data]
        return origin(items)
    if origin is dict or origin is Mapping:
        key_type, value_type = typing.get_args(tp) or (Any, Any)
        if not isinstance(data, Mapping):
            raise TypeError(f"expected an object for {tp}, got {type(data).__name__}")
        return {_decode(key_type, k): _decode(value_type, v) for k, v in data.items()}
    if tp is float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise TypeError(f"expected a number, got {data!r}")
        return float(data)
    if tp in (int, str, bool):
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise TypeError(f"expected {tp.__name__}, got {data!r}")
        return data
    if tp is type(None):
        if data is not None:
            raise TypeError(f"expected null, got {data!r}")
        return None
    raise TypeError(f"unsupported type annotation {tp!r}")


def _decode_union(args: tuple[Any, ...], data: Any) -> Any:
    if data is None:
        if type(None) in args:
            return None
        raise TypeError(f"null is not allowed for {args}")
    tagged = [
        arg
        for arg in args
        if isinstance(arg, type) and dataclasses.is_dataclass(arg) and hasattr(arg, "OP")
    ]
    if tagged and isinstance(data, Mapping):
        op = data.get("op")
        for arg in tagged:
            if op == arg.OP:
                return _decode(arg, data)
        raise ValueError(f"unknown operation {op!r}")
    errors: list[str] = []
    for arg in args:
        if arg is type(None):
            continue
        try:
            return _decode(arg, data)
        except (TypeError, ValueError) as exc:
            errors.append(str(exc))
    raise TypeError(f"{data!r} matches none of {args}: {'; '.join(errors)}")
