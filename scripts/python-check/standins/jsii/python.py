"""Stand-in for jsii.python: the `classproperty` descriptor of static properties."""


class classproperty:  # noqa: N801 - jsii's name
    def __init__(self, fget=None, fset=None):
        self.fget = fget
        self.fset = fset
        self.__doc__ = getattr(fget, "__doc__", None)

    def __get__(self, instance, owner=None):
        return self.fget(owner if owner is not None else type(instance))

    def __set__(self, instance, value):
        if self.fset is None:
            raise AttributeError("can't set a read-only static property")
        self.fset(type(instance), value)

    def setter(self, fset):
        self.fset = fset
        return self
