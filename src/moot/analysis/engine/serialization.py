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


_DECODERS: dict[Any, Callable[[Any], Any]] = {}


def _decode(tp: Any, data: Any) -> Any:
    decoder = _DECODERS.get(tp)
    if decoder is None:
        decoder = _DECODERS[tp] = _make_decoder(tp)
    return decoder(data)


def _identity(data: Any) -> Any:
    return data


def _make_decoder(tp: Any) -> Callable[[Any], Any]:
    if tp is Any or tp is object:
        return _identity
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return _union_decoder(typing.get_args(tp))
    if origin is typing.Literal:
        allowed = typing.get_args(tp)

        def decode_literal(data: Any) -> Any:
            if data not in allowed:
                raise ValueError(f"{data!r} is not one of {allowed}")
            return data

        return decode_literal
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if origin in (list, tuple, set, frozenset):
        return _collection_decoder(origin, typing.get_args(tp))
    if origin is dict or origin is Mapping:
        key_type, value_type = typing.get_args(tp) or (Any, Any)

        def decode_mapping(data: Any) -> Any:
            if not isinstance(data, Mapping):
                raise TypeError(f"expected an object for {tp}, got {type(data).__name__}")
            return {_decode(key_type, k): _decode(value_type, v) for k, v in data.items()}

        return decode_mapping
    if tp is float:

        def decode_float(data: Any) -> float:
            if isinstance(data, bool) or not isinstance(data, int | float):
                raise TypeError(f"expected a number, got {data!r}")
            return float(data)

        return decode_float
    if tp in (int, str, bool):

        def decode_scalar(data: Any) -> Any:
            if type(data) is not tp:
                raise TypeError(f"expected {tp.__name__}, got {data!r}")
            return data

        return decode_scalar
    if tp is type(None):

        def decode_none(data: Any) -> None:
            if data is not None:
                raise TypeError(f"expected null, got {data!r}")

        return decode_none
    raise TypeError(f"unsupported type annotation {tp!r}")


def _dataclass_decoder(cls: type) -> Callable[[Any], Any]:
    hints = _hints(cls)
    fields = [(f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.init]

    def decode_dataclass(data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise TypeError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
        return cls(**{name: _decode(tp, data[name]) for name, tp in fields if name in data})

    return decode_dataclass


def _collection_decoder(origin: Any, args: tuple[Any, ...]) -> Callable[[Any], Any]:
    fixed = origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis)
    item_type = args[0] if args else Any

    def decode_collection(data: Any) -> Any:
        if not isinstance(data, list | tuple):
            raise TypeError(f"expected a list for {origin.__name__}, got {type(data).__name__}")
        if fixed:
            return tuple(_decode(arg, item) for arg, item in zip(args, data, strict=True))
        return origin([_decode(item_type, item) for item in data])

    return decode_collection


def _union_decoder(args: tuple[Any, ...]) -> Callable[[Any], Any]:
    tagged = {
        arg.OP: arg
        for arg in args
        if isinstance(arg, type) and dataclasses.is_dataclass(arg) and hasattr(arg, "OP")
    }
    options = [arg for arg in args if arg is not type(None)]
    nullable = len(options) < len(args)

    def decode_union(data: Any) -> Any:
        if data is None:
            if nullable:
                return None
            raise TypeError(f"null is not allowed for {args}")
        if tagged and isinstance(data, Mapping):
            op = data.get("op")
            if op not in tagged:
                raise ValueError(f"unknown operation {op!r}")
            return _decode(tagged[op], data)
        if len(options) == 1:
            return _decode(options[0], data)
        errors: list[str] = []
        for arg in options:
            try:
                return _decode(arg, data)
            except (TypeError, ValueError) as exc:
                errors.append(str(exc))
        raise TypeError(f"{data!r} matches none of {args}: {'; '.join(errors)}")

    return decode_union
