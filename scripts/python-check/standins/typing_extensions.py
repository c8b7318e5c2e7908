"""Stand-in for `typing_extensions`: `typing` plus a plain `Protocol` base.

Generated interfaces derive from stand-in classes of other assemblies and from Protocol; a real
typing.Protocol would refuse the non-protocol bases, so Protocol here is a plain class. It carries
the `__protocol_attrs__` set that jsii-pacmak's generated code trims.
"""

import typing as _typing
from typing import *  # noqa: F401,F403


class Protocol:
    __protocol_attrs__ = frozenset()


def __getattr__(name):
    return getattr(_typing, name)
