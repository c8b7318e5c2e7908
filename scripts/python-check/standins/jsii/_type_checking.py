"""Stand-in for jsii._type_checking: the argument checks of generated code (typeguard in the real
runtime), reduced to what a binding check needs.

Primitives, collections, enums, structs and classes of the binding are checked strictly; a type
of another assembly (a stand-in class) accepts any object that is not a str/number/bool/list/dict,
since the stand-ins know no subtyping among aws_cdk types.
"""

import collections.abc
import datetime
import enum
import typing

from . import _kernel

_hints = {}

_PLAIN = (str, bytes, int, float, bool, list, tuple, dict, set, frozenset)


def cached_type_hints(func):
    try:
        return _hints[func]
    except KeyError:
        hints = _hints[func] = typing.get_type_hints(func)
        return hints


def check_type(argname, value, expected_type, collection_check_strategy=None):
    problem = _problem(value, expected_type)
    if problem is not None:
        raise TypeError("type of %s must be %s; got %s instead" % (argname, _describe(expected_type), problem))


def _got(value):
    kind = type(value)
    return "%s (%r)" % (kind.__qualname__ if kind.__module__ == "builtins" else kind.__module__ + "." + kind.__qualname__, value)


def _problem(value, tp):
    """None when value fits tp, else a description of what was given."""
    if tp is typing.Any or tp is object:
        return None
    if tp is None or tp is type(None):
        return None if value is None else _got(value)
    if isinstance(tp, (str, typing.ForwardRef)):
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union:
        return None if any(_problem(value, a) is None for a in args) else _got(value)
    if value is None:
        return "None"
    if origin is typing.Literal:
        return None if value in args else _got(value)
    if origin in (list, collections.abc.Sequence, collections.abc.MutableSequence):
        if not isinstance(value, (list, tuple)):
            return _got(value)
        for index, item in enumerate(value):
            problem = _problem(item, args[0]) if args else None
            if problem is not None:
                return "%s at index %d" % (problem, index)
        return None
    if origin in (dict, collections.abc.Mapping, collections.abc.MutableMapping):
        if not isinstance(value, collections.abc.Mapping):
            return _got(value)
        for key, item in value.items():
            if args and (_problem(key, args[0]) is not None or _problem(item, args[1]) is not None):
                return "%s at key %r" % (_got(item), key)
        return None
    if origin is collections.abc.Callable:
        return None if callable(value) else _got(value)
    if origin is not None:  # other generics: accept
        return None
    if not isinstance(tp, type):
        return None
    if tp is bool:
        return None if isinstance(value, bool) else _got(value)
    if tp is int:
        return None if isinstance(value, int) else _got(value)
    if tp is float:
        return None if isinstance(value, (int, float)) else _got(value)
    if tp is str:
        return None if isinstance(value, str) else _got(value)
    if tp in (datetime.datetime, datetime.date):
        return None if isinstance(value, tp) else _got(value)
    if isinstance(value, tp):
        return None
    if _kernel.is_standin_type(tp) or tp.__dict__.get("__jsii_type__") in _kernel.interfaces:
        # a type of another assembly, or an interface: any object that is not plain data
        return None if not isinstance(value, _PLAIN) and not isinstance(value, enum.Enum) else _got(value)
    return _got(value)


def _describe(tp):
    if isinstance(tp, type):
        return tp.__qualname__ if tp.__module__ == "builtins" else "%s.%s" % (tp.__module__, tp.__qualname__)
    return repr(tp).replace("typing.", "")
