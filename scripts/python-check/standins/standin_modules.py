"""Stand-in modules for the Python packages of other jsii assemblies (aws_cdk, constructs, cdktn).

`install()` puts a meta-path finder first in sys.meta_path that serves `aws_cdk`, `constructs`
and any submodule of them (`aws_cdk.aws_ec2`, `aws_cdk._jsii`, ...). In such a module a
lower-case or underscore name is a submodule and any other name is a stand-in class (see
jsii._kernel.StandinObject), made once per name: `aws_cdk.aws_ec2.Vpc(stack, "Vpc")` works,
and so do `aws_cdk.App()`, `aws_cdk.Stack(app, "S")`, `aws_cdk.Duration.minutes(5)`.
"""

import importlib
import importlib.abc
import importlib.machinery
import sys
import types

from jsii import _kernel

ROOTS = ("aws_cdk", "constructs", "cdktn")


class StandinModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if name[0].islower() or name[0] == "_":
            value = importlib.import_module("%s.%s" % (self.__name__, name))
        else:
            value = _kernel.standin_class(self.__name__, name)
        setattr(self, name, value)
        return value


class StandinFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] not in ROOTS:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        module = StandinModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        module.__doc__ = "stand-in module (scripts/python-check)"


def install():
    if not any(isinstance(f, StandinFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, StandinFinder())
    for name in list(sys.modules):  # a real aws_cdk imported earlier must not be used
        if name.split(".")[0] in ROOTS and not isinstance(sys.modules[name], StandinModule):
            del sys.modules[name]
