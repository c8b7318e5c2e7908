"""Stand-in for the `jsii` Python runtime, for checking a jsii-pacmak binding offline.

Only what jsii-pacmak's generated code uses is here: the class machinery and decorators, the
kernel calls (recorded in `jsii._kernel.calls`, answered with dummies of the declared type) and
`jsii._type_checking`. See scripts/python-check/README.md.
"""

import typing

from . import python  # noqa: F401 - generated code uses jsii.python.classproperty
from ._kernel import (  # noqa: F401
    JSIIAbstractClass,
    JSIIAssembly,
    JSIIError,
    JSIIMeta,
    ainvoke,
    create,
    data_type,
    enum,
    get,
    implements,
    interface,
    invoke,
    member,
    proxy_for,
    set,
    sget,
    sinvoke,
    sset,
)

Number = typing.Union[int, float]

__version__ = "0.0.0+standin"
