"""The stand-in jsii kernel: type registry, class machinery, call recorder, typed answers.

The real runtime forwards every call to a Node.js process. This one records the call
(`calls`) and answers with a dummy value of the type that the assembly declares for that member,
so code written against the binding (an example app) can keep going.
"""

import abc
import datetime
import importlib
import inspect
import os
import sys
import typing

from . import _assembly

# --- registries ---------------------------------------------------------------------------------

#: jsii fqn -> Python class, filled by the decorators and JSIIMeta as the binding is imported.
types = {}
#: fqn sets by kind, to tell them apart without the assembly.
enums, structs, interfaces = set(), set(), set()
#: every assembly loaded through JSIIAssembly.load, plus dependencies loaded on demand.
type_system = _assembly.TypeSystem(deps_dir=os.environ.get("JSII_STANDIN_DEPS_DIR") or None)


class Call(typing.NamedTuple):
    op: str  # create | get | set | sget | sset | invoke | sinvoke | ainvoke
    target: object  # the class (create, static ops) or the object
    name: typing.Optional[str]  # jsii member name (None for create)
    args: list
    obj: object = None  # create: the new object


#: every kernel call since the last reset_calls().
calls = []


def reset_calls():
    calls.clear()


class JSIIError(Exception):
    """What the real kernel raises; not an AttributeError, which a descriptor would swallow."""


# --- stand-ins for types of other assemblies (aws_cdk, constructs) -------------------------------


def _is_dunder(name):
    return name.startswith("__") and name.endswith("__")


class StandinValue:
    """Whatever a stand-in returns: any attribute, call, index or iteration works."""

    __slots__ = ("_standin_path", "_standin_args", "_standin_kwargs")

    def __init__(self, path, args=(), kwargs=None):
        object.__setattr__(self, "_standin_path", path)
        object.__setattr__(self, "_standin_args", args)
        object.__setattr__(self, "_standin_kwargs", kwargs or {})

    def __getattr__(self, name):
        if _is_dunder(name):
            raise AttributeError(name)
        return StandinValue(self._standin_path + "." + name)

    def __setattr__(self, name, value):
        pass

    def __call__(self, *args, **kwargs):
        return StandinValue(self._standin_path + "()", args, kwargs)

    def __getitem__(self, key):
        return StandinValue("%s[%r]" % (self._standin_path, key))

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __bool__(self):
        return True

    def __repr__(self):
        return "<stand-in %s>" % self._standin_path

    def __str__(self):
        return "${Token[%s]}" % self._standin_path


# Members that a construct of the binding inherits from constructs.Construct / aws-cdk-lib
# classes; used only when the dependency assemblies are not available to look them up.
INHERITED_MEMBERS = frozenset(
    "node stack env physical_name apply_removal_policy to_string with_ "
    "is_construct is_resource is_owned_resource".split()
)


def first_binding_class(cls):
    """The first class in cls.__mro__ generated from a checked assembly, or None."""
    for klass in cls.__mro__:
        fqn = klass.__dict__.get("__jsii_type__")
        if isinstance(fqn, str) and type_system.is_own(fqn):
            return klass
    return None


def inherited_member_known(binding_class, name):
    """Does `name` exist on the external bases of `binding_class`? True/False."""
    fqn = binding_class.__dict__["__jsii_type__"]
    spec = type_system.find(fqn) or {}
    external = [b for b in [spec.get("base")] + list(spec.get("interfaces") or []) if b]
    pending = list(external)
    while pending:  # walk up own bases to reach the external ones
        base = pending.pop()
        if type_system.is_own(base):
            base_spec = type_system.find(base) or {}
            pending.extend(b for b in [base_spec.get("base")] + list(base_spec.get("interfaces") or []) if b)
            continue
        names = type_system.python_member_names(base)
        if names is None:
            return name in INHERITED_MEMBERS
        if name in names:
            return True
    return False


class JSIIMeta(type):
    """Metaclass of every generated class and of the stand-ins for other assemblies' classes."""

    def __new__(mcs, name, bases, attrs, *, jsii_type=None):
        cls = super().__new__(mcs, name, bases, attrs)
        if jsii_type is not None:
            cls.__jsii_type__ = jsii_type
            types[jsii_type] = cls
        return cls

    def __init__(cls, name, bases, attrs, *, jsii_type=None):
        super().__init__(name, bases, attrs)

    def __getattr__(cls, name):
        if _is_dunder(name):
            raise AttributeError(name)
        if "__standin__" in cls.__dict__:  # aws_cdk.Duration.minutes, ec2.SubnetType.PUBLIC ...
            return StandinValue("%s.%s" % (cls.__standin__, name))
        binding = first_binding_class(cls)
        if binding is not None and inherited_member_known(binding, name):
            return StandinValue("%s.%s" % (cls.__name__, name))
        if binding is None and any("__standin__" in k.__dict__ for k in cls.__mro__):
            return StandinValue("%s.%s" % (cls.__name__, name))  # a user subclass of a stand-in
        raise AttributeError("type object '%s' has no attribute '%s'" % (cls.__name__, name))


class JSIIAbstractClass(JSIIMeta, abc.ABCMeta):
    pass


class StandinObject(metaclass=JSIIMeta):
    """Base of the stand-in classes served for aws_cdk.*, constructs.*: accepts any arguments and
    answers any attribute. Generated subclasses stay strict: a member that neither the binding
    nor its external base class has raises AttributeError."""

    def __init__(self, *args, **kwargs):
        self._standin_args = args
        self._standin_kwargs = kwargs

    def __getattr__(self, name):
        if _is_dunder(name):
            raise AttributeError(name)
        cls = type(self)
        binding = first_binding_class(cls)
        if binding is not None and not inherited_member_known(binding, name):
            raise AttributeError(
                "'%s' object has no attribute '%s' (not in the binding of %s, nor in its "
                "base classes)" % (cls.__name__, name, binding.__jsii_type__)
            )
        return StandinValue("%s().%s" % (cls.__name__, name))

    def __repr__(self):
        cls = type(self)
        if first_binding_class(cls) is not None:
            return "<%s.%s object>" % (cls.__module__, cls.__qualname__)
        return "<stand-in %s object>" % cls.__name__


def standin_class(module, name):
    return JSIIMeta(name, (StandinObject,), {"__standin__": "%s.%s" % (module, name), "__module__": module})


def is_standin_type(cls):
    return isinstance(cls, type) and any("__standin__" in k.__dict__ for k in cls.__mro__)


# --- assembly loading ---------------------------------------------------------------------------


class JSIIAssembly:
    def __init__(self, name, version, module, filename, spec):
        self.name, self.version, self.module, self.filename, self.spec = name, version, module, filename, spec

    @classmethod
    def load(cls, name, version, module, filename):
        jsii_pkg = sys.modules.get(module + "._jsii")
        if jsii_pkg is None or not getattr(jsii_pkg, "__file__", None):
            raise ImportError("jsii stand-in: %s._jsii is not being imported" % module)
        path = os.path.join(os.path.dirname(jsii_pkg.__file__), filename)
        spec = _assembly.read_assembly_tarball(path)
        if spec.get("name") != name or spec.get("version") != version:
            raise ImportError(
                "jsii stand-in: %s holds %s@%s, the binding loads %s@%s"
                % (path, spec.get("name"), spec.get("version"), name, version)
            )
        type_system.add(spec, own=True)
        return cls(name, version, module, filename, spec)

    def invokeBinScript(self, pkgname, script, args):  # noqa: N802 (jsii's spelling)
        raise NotImplementedError("jsii stand-in: bin scripts are not run")


# --- decorators ---------------------------------------------------------------------------------


def member(*, jsii_name):
    def deco(fn):
        try:
            fn.__jsii_name__ = jsii_name
        except (AttributeError, TypeError):
            pass
        return fn

    return deco


def enum(*, jsii_type):
    def deco(cls):
        cls.__jsii_type__ = jsii_type
        types[jsii_type] = cls
        enums.add(jsii_type)
        return cls

    return deco


def data_type(*, jsii_type, jsii_struct_bases, name_mapping):
    def deco(cls):
        cls.__jsii_type__ = jsii_type
        cls.__jsii_struct_bases__ = list(jsii_struct_bases)
        cls.__jsii_name_mapping__ = dict(name_mapping)
        types[jsii_type] = cls
        structs.add(jsii_type)
        return cls

    return deco


def interface(*, jsii_type):
    def deco(cls):
        cls.__jsii_type__ = jsii_type
        types[jsii_type] = cls
        interfaces.add(jsii_type)
        return cls

    return deco


def implements(*ifaces):
    def deco(cls):
        cls.__jsii_ifaces__ = list(getattr(cls, "__jsii_ifaces__", [])) + list(ifaces)
        return cls

    return deco


def proxy_for(abstract_class):
    factory = getattr(abstract_class, "__jsii_proxy_class__", None)
    return factory() if factory is not None else abstract_class


# --- typed answers ------------------------------------------------------------------------------

_static_cache = {}


def blank_instance(cls):
    """An instance of a generated class without running __init__ (no kernel object behind it)."""
    if cls.__dict__.get("__jsii_type__") in interfaces or inspect.isabstract(cls):
        factory = getattr(cls, "__jsii_proxy_class__", None)
        if factory is not None:
            cls = factory()
    return object.__new__(cls)


def external_instance(fqn):
    module, path = type_system.python_module_of(fqn)
    try:
        value = importlib.import_module(module)
        for part in path:
            value = getattr(value, part)
        if isinstance(value, type):
            return value()
    except Exception:  # noqa: BLE001 - a stand-in answer is good enough here
        pass
    return StandinValue(fqn)


def value_of_type(typeref, label="value", depth=0):
    """A dummy value of a jsii type reference (OptionalValue or TypeReference)."""
    if typeref is None:
        return None
    if "type" in typeref and not any(k in typeref for k in ("primitive", "fqn", "collection", "union")):
        typeref = typeref["type"]
    if "primitive" in typeref:
        return {
            "string": label,
            "number": 1,
            "boolean": True,
            "date": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
            "json": {"label": label},
            "any": label,
        }.get(typeref["primitive"], label)
    if "collection" in typeref:
        coll = typeref["collection"]
        element = value_of_type(coll["elementtype"], label, depth + 1) if depth < 4 else None
        if coll["kind"] == "array":
            return [element] if element is not None else []
        return {"key": element} if element is not None else {}
    if "union" in typeref:
        return value_of_type(typeref["union"]["types"][0], label, depth)
    fqn = typeref.get("fqn")
    if fqn is None:
        return StandinValue(label)
    cls = types.get(fqn)
    if cls is None:
        return external_instance(fqn)
    if fqn in enums:
        return next(iter(cls))
    if fqn in structs:
        if depth > 6:
            return object.__new__(cls)
        props, _ = type_system.struct_props(fqn)
        kwargs = {}
        for prop, _owner in props:
            if not prop.get("optional"):
                kwargs[_assembly.py_param_name(prop["name"])] = value_of_type(prop["type"], prop["name"], depth + 1)
        return cls(**kwargs)
    return blank_instance(cls)


def _owner_fqn(target, static):
    cls = target if static else type(target)
    for klass in cls.__mro__:
        fqn = klass.__dict__.get("__jsii_type__")
        if isinstance(fqn, str):
            return fqn
    return None


def _answer(target, name, static, want):
    fqn = _owner_fqn(target, static)
    if fqn is None:
        return StandinValue(name)
    kind, spec = type_system.find_member(fqn, name, static)
    if kind is None:
        if spec:  # the whole hierarchy is known: the generated code names a member that isn't there
            raise JSIIError("jsii stand-in: %s has no %s member '%s'" % (fqn, "static" if static else "instance", name))
        return StandinValue("%s.%s" % (fqn, name))
    if kind != want:
        raise JSIIError("jsii stand-in: %s.%s is a %s, not a %s" % (fqn, name, kind, want))
    if kind == "property":
        return value_of_type(spec["type"], name)
    return value_of_type(spec.get("returns"), name)


# --- kernel operations (the names that generated code calls as jsii.<op>) -------------------------


def create(klass, obj, args):
    calls.append(Call("create", klass, None, list(args), obj))


def get(obj, prop):
    calls.append(Call("get", obj, prop, []))
    return _answer(obj, prop, False, "property")


def set(obj, prop, value):  # noqa: A001 - jsii's name
    calls.append(Call("set", obj, prop, [value]))


def sget(klass, prop):
    calls.append(Call("sget", klass, prop, []))
    key = (klass, prop)
    if key not in _static_cache:  # static constants are the same object every time
        _static_cache[key] = _answer(klass, prop, True, "property")
    return _static_cache[key]


def sset(klass, prop, value):
    calls.append(Call("sset", klass, prop, [value]))


def invoke(obj, method, args):
    calls.append(Call("invoke", obj, method, list(args)))
    return _answer(obj, method, False, "method")


def ainvoke(obj, method, args):
    calls.append(Call("ainvoke", obj, method, list(args)))
    return _answer(obj, method, False, "method")


def sinvoke(klass, method, args):
    calls.append(Call("sinvoke", klass, method, list(args)))
    return _answer(klass, method, True, "method")
