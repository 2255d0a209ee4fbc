"""Opening JSON from outside without trusting it: one loader for every JSON importer.

``json.loads`` raises ``RecursionError`` on arrays nested a hundred thousand deep and
``ValueError`` (not ``JSONDecodeError``) on an integer longer than Python converts
(4,300 digits); and data nested just below the interpreter's limit would raise
``RecursionError`` later, wherever it is printed or hashed. Here each becomes a
``FileRejected`` with its reason, and nothing deeper than ``MAX_DEPTH`` gets through.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from moot.core.errors import FileRejected

# Popolo and the written-questions API nest five or six deep.
MAX_DEPTH = 64


def load_json(path: Path, *, max_bytes: int) -> Any:
    """The file's JSON, or ``FileRejected`` saying why not (size, encoding, syntax,
    depth, an over-long number)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise FileRejected(f"{size:,} bytes; moot reads files of up to {max_bytes // 2**20:,} MB")
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as error:
        raise FileRejected(f"not JSON: line {error.lineno}: {error.msg}") from None
    except UnicodeDecodeError as error:
        raise FileRejected(f"not UTF-8 text ({error.reason})") from None
    except RecursionError:
        raise FileRejected(_too_deep()) from None
    except ValueError:  # the only other one: an integer of too many digits
        raise FileRejected(
            f"a number has more than {sys.get_int_max_str_digits():,} digits"
        ) from None
    if _depth_over(data, MAX_DEPTH):
        raise FileRejected(_too_deep())
    return data


def _too_deep() -> str:
    return f"arrays or objects are nested more than {MAX_DEPTH} deep"


def _depth_over(data: Any, limit: int) -> bool:
    """Whether containers nest more than ``limit`` deep; without recursion, so any depth
    that loaded can be measured."""
    if not isinstance(data, (dict, list)):
        return False
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False
