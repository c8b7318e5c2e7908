"""Checks an installed jsii-pacmak Python binding against the assembly it embeds.

Run by check_wheel.py in a separate interpreter (`python -I -S`) whose sys.path starts with the
stand-ins (standins/) and the folder the wheel was installed into. Stdlib only.

For every type of the assembly:
  enum       the Python enum has the same members;
  struct     name_mapping maps exactly the snake_case names (jsii's rule) to the assembly's
             property names, including inherited ones; the class takes each as a keyword
             argument, stores it under that name and returns it from its property;
  class      every constructor, static and instance method is called with every parameter and
             every lifted struct property as a snake_case keyword argument; the signature must
             match the assembly (names, keyword-only, optional), and the kernel call it makes
             must name the right jsii member, pass the positional arguments in order and a
             struct whose values sit under the assembly's camelCase names; every static
             constant/property and instance property must exist and read the right member;
  interface  the proxy class has every member and forwards it under the right name.
With --example FILE, FILE runs as __main__ against the same stand-ins afterwards.
"""

import argparse
import copy
import datetime
import email.parser
import glob
import importlib
import inspect
import os
import re
import runpy
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))


def _setup_path(site):
    sys.path[:0] = [os.path.join(HERE, "standins"), site]
    import standin_modules  # noqa: E402 - needs the path above

    standin_modules.install()


# Filled in main() once the stand-ins are importable.
_kernel = _assembly = None


SITE = None  # the folder the wheel was installed into


def _where(filename):
    """A short name for a file: relative to the install folder or to this folder's repo."""
    for root in (SITE, os.path.dirname(os.path.dirname(HERE))):
        if root and os.path.abspath(filename).startswith(root + os.sep):
            return os.path.relpath(filename, root)
    return filename


def _short_exc(exc):
    """`TypeError: message (at file:line)` for the innermost frame."""
    tb = traceback.extract_tb(exc.__traceback__)
    where = ""
    if tb:
        frame = tb[-1]
        where = " (at %s:%d)" % (_where(frame.filename), frame.lineno)
    return "%s: %s%s" % (type(exc).__name__, exc, where)


class ValueMaker:
    """Distinct dummy values per jsii type, so a value that lands under the wrong name shows.
    Structs of the checked assembly are passed as dicts of snake_case keys, which also
    exercises the generated dict -> struct conversion."""

    def __init__(self, ts):
        self.ts = ts
        self.n = 0

    def make(self, typeref, label, depth=0, as_dict=True):
        self.n += 1
        n = self.n
        if "primitive" in typeref:
            kind = typeref["primitive"]
            if kind == "string" or kind == "any":
                return "%s#%d" % (label, n)
            if kind == "number":
                return 1000 + n
            if kind == "boolean":
                return n % 2 == 0
            if kind == "date":
                return datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=n)
            return {"label": label, "n": n}  # json
        if "collection" in typeref:
            coll = typeref["collection"]
            element = self.make(coll["elementtype"], label + "[]", depth + 1, as_dict=False)
            return [element] if coll["kind"] == "array" else {"key%d" % n: element}
        if "union" in typeref:
            return self.make(typeref["union"]["types"][0], label, depth, as_dict)
        fqn = typeref.get("fqn")
        if fqn is None:  # intersection and future kinds
            return _kernel.StandinValue(label)
        cls = _kernel.types.get(fqn)
        if cls is None:
            return _kernel.external_instance(fqn)
        if fqn in _kernel.enums:
            members = list(cls)
            return members[n % len(members)]
        if fqn in _kernel.structs:
            props, _complete = self.ts.struct_props(fqn)
            values = {}
            for prop, _owner in props:
                if prop.get("optional") and depth >= 3:
                    continue
                values[_assembly.py_param_name(prop["name"])] = self.make(prop["type"], prop["name"], depth + 1)
            return values if as_dict else cls(**values)
        return _kernel.blank_instance(cls)


def matches(stored, passed):
    if stored is passed:
        return True
    if isinstance(passed, dict) and hasattr(type(stored), "__jsii_name_mapping__"):
        values = getattr(stored, "_values", None)
        return (
            isinstance(values, dict)
            and set(values) == set(passed)
            and all(matches(values[k], v) for k, v in passed.items())
        )
    return type(stored) is type(passed) and stored == passed


class Checker:
    def __init__(self, ts, spec, verbose=False):
        self.ts = ts
        self.spec = spec
        self.verbose = verbose
        self.values = ValueMaker(ts)
        self.failures = []
        self.notes = []
        self.count = dict(
            classes=0, constructors=0, structs=0, enums=0, interfaces=0, props=0,
            static_members=0, members=0, skipped=0,
        )

    # -- reporting

    def fail(self, where, message):
        self.failures.append("%s: %s" % (where, message))

    def log(self, message):
        if self.verbose:
            print("  " + message)

    # -- expected Python signature of a jsii callable

    def lifted_struct(self, params):
        """(fqn, props, complete) of the struct whose props become keyword arguments, None, or
        ('?', fqn) when the last parameter's type is in an assembly that is not available."""
        if not params:
            return None
        last = params[-1]
        fqn = last["type"].get("fqn")
        if last.get("variadic") or fqn is None:
            return None
        is_struct = self.ts.is_struct(fqn)
        if is_struct is None:
            return ("?", fqn)
        if not is_struct:
            return None
        props, complete = self.ts.struct_props(fqn)
        return (fqn, props, complete)

    def check_callable(self, where, func, params, invoke, expect_op, expect_name, expect_target, skip_first):
        """Check the signature of `func` and call it through `invoke(*args, **kwargs)`."""
        lifted = self.lifted_struct(params)
        if lifted and lifted[0] == "?" and self.plainly_positional(func, params, skip_first):
            lifted = None  # e.g. an aws_iam.IGrantable parameter: Python kept it positional
        if lifted and lifted[0] == "?":
            self.count["skipped"] += 1
            self.notes.append(
                "%s: not checked, the assembly of %s is not available (pass --deps-dir)" % (where, lifted[1])
            )
            return
        lifted_props = lifted[1] if lifted else []
        lifted_names = {_assembly.py_param_name(p["name"]) for p, _ in lifted_props}
        positional = params[:-1] if lifted else params

        # 1. signature
        try:
            sig = inspect.signature(func)
        except (TypeError, ValueError) as exc:
            self.fail(where, "no signature: %s" % exc)
            return
        actual = list(sig.parameters.values())[1 if skip_first else 0:]
        act_pos = [p for p in actual if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
        act_kw = {p.name: p for p in actual if p.kind == p.KEYWORD_ONLY}
        exp_pos = []
        for param in positional:
            name = _assembly.py_param_name(param["name"], lifted_names)
            kind = inspect.Parameter.VAR_POSITIONAL if param.get("variadic") else inspect.Parameter.POSITIONAL_OR_KEYWORD
            exp_pos.append((name, kind, bool(param.get("optional")), param))
        got = [(p.name, p.kind) for p in act_pos]
        want = [(name, kind) for name, kind, _, _ in exp_pos]
        if got != want:
            self.fail(where, "positional parameters are %s, the assembly says %s" % (
                [self._fmt(n, k) for n, k in got], [self._fmt(n, k) for n, k in want]))
            return
        for (name, kind, optional, _), p in zip(exp_pos, act_pos):
            if kind != p.VAR_POSITIONAL and optional != (p.default is not p.empty):
                self.fail(where, "parameter `%s` should be %s" % (name, "optional" if optional else "required"))
        sig_ok = True
        if lifted:
            fqn, props, complete = lifted
            for prop, owner in props:
                name = _assembly.py_param_name(prop["name"])
                p = act_kw.get(name)
                if p is None:
                    self.fail(where, "no keyword argument `%s` for %s.%s" % (name, owner, prop["name"]))
                    sig_ok = False
                elif bool(prop.get("optional")) != (p.default is not p.empty):
                    self.fail(where, "keyword argument `%s` should be %s" % (
                        name, "optional" if prop.get("optional") else "required"))
            extra = sorted(set(act_kw) - lifted_names)
            if extra and complete:
                self.fail(where, "keyword arguments %s are not properties of %s" % (extra, fqn))
                sig_ok = False
        elif act_kw:
            self.fail(where, "unexpected keyword-only arguments %s" % sorted(act_kw))
            sig_ok = False
        if not sig_ok:
            return

        # 2. call with every parameter and every lifted prop, by keyword where Python allows it
        args, kwargs, pos_values = [], {}, []
        variadic = any(kind == inspect.Parameter.VAR_POSITIONAL for _, kind, _, _ in exp_pos)
        for name, kind, _, param in exp_pos:
            value = self.values.make(param["type"], param["name"])
            pos_values.append(value)
            if variadic:
                args.append(value)
            else:
                kwargs[name] = value
        lifted_values = {}
        for prop, _owner in lifted_props:
            name = _assembly.py_param_name(prop["name"])
            lifted_values[name] = kwargs[name] = self.values.make(prop["type"], prop["name"])
        _kernel.reset_calls()
        try:
            result = invoke(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            self.fail(where, "calling it with %s failed: %s" % (sorted(kwargs) or "positional arguments", _short_exc(exc)))
            return
        recorded = [c for c in _kernel.calls if c.op == expect_op]
        if len(recorded) != 1:
            self.fail(where, "expected one jsii.%s call, got %s" % (expect_op, [(c.op, c.name) for c in _kernel.calls]))
            return
        call = recorded[0]
        if call.name != expect_name:
            self.fail(where, "jsii.%s names member %r, the assembly says %r" % (expect_op, call.name, expect_name))
        target = expect_target if expect_target is not None else result
        if expect_op == "create":
            if call.obj is not result:
                self.fail(where, "jsii.create was not given the new object")
            if call.target is not type(result):
                self.fail(where, "jsii.create was given class %r" % (call.target,))
        elif call.target is not target:
            self.fail(where, "jsii.%s was called on %r, expected %r" % (expect_op, call.target, target))

        # 3. the arguments the kernel receives
        n_expected = len(pos_values) + (1 if lifted else 0)
        if len(call.args) != n_expected:
            self.fail(where, "the kernel got %d arguments, the assembly has %d" % (len(call.args), n_expected))
            return
        for index, ((name, _, _, _), value) in enumerate(zip(exp_pos, pos_values)):
            if not matches(call.args[index], value):
                self.fail(where, "argument %d (`%s`) reached the kernel as %r" % (index, name, call.args[index]))
        if lifted:
            self.check_struct_value(where, call.args[-1], lifted[0], lifted_props, lifted_values)
        self.log("%s: ok (%d parameters, %d props)" % (where, len(positional), len(lifted_props)))

    @staticmethod
    def plainly_positional(func, params, skip_first):
        """Without the last parameter's assembly: does Python show it as a plain parameter?"""
        try:
            actual = list(inspect.signature(func).parameters.values())[1 if skip_first else 0:]
        except (TypeError, ValueError):
            return False
        return (
            all(p.kind == p.POSITIONAL_OR_KEYWORD for p in actual)
            and len(actual) == len(params)
            and actual[-1].name == _assembly.py_param_name(params[-1]["name"])
        )

    @staticmethod
    def _fmt(name, kind):
        return "*" + name if kind == inspect.Parameter.VAR_POSITIONAL else name

    def check_struct_value(self, where, obj, fqn, props, passed):
        """The struct object that reaches the kernel carries each value under its camelCase name."""
        cls = _kernel.types.get(fqn)
        if cls is None:  # a struct of another assembly: a stand-in built with the same keywords
            got = getattr(obj, "_standin_kwargs", None)
            if not isinstance(got, dict) or set(got) != set(passed):
                self.fail(where, "%s was built with %s, expected %s" % (fqn, sorted(got or {}), sorted(passed)))
                return
            for name, value in passed.items():
                if not matches(got[name], value):
                    self.fail(where, "%s.%s did not get its value" % (fqn, name))
                    continue
                self.count["props"] += 1
            return
        if not isinstance(obj, cls):
            self.fail(where, "the kernel got %r instead of a %s" % (obj, cls.__name__))
            return
        mapping = getattr(type(obj), "__jsii_name_mapping__", {})
        values = getattr(obj, "_values", {})
        extra = sorted(set(values) - set(passed))
        if extra:
            self.fail(where, "struct %s carries unexpected values %s" % (fqn, extra))
        for prop, owner in props:
            name = _assembly.py_param_name(prop["name"])
            if mapping.get(name) != prop["name"]:
                self.fail(where, "`%s` is sent to the kernel as %r, the assembly calls it %r" % (
                    name, mapping.get(name), prop["name"]))
                continue
            if name not in values or not matches(values[name], passed[name]):
                self.fail(where, "`%s` (%s.%s) did not reach the struct: %r" % (
                    name, owner, prop["name"], values.get(name, "<missing>")))
                continue
            self.count["props"] += 1

    # -- per kind

    def check_type(self, fqn, spec):
        kind = spec["kind"]
        cls = _kernel.types.get(fqn)
        if cls is None:
            self.fail(fqn, "no Python class was registered for it (is it exported from src/index.ts?)")
            return
        self.check_public_name(fqn, spec, cls)
        if kind == "enum":
            self.check_enum(fqn, spec, cls)
        elif kind == "interface" and spec.get("datatype"):
            self.check_struct(fqn, spec, cls)
        elif kind == "interface":
            self.check_interface(fqn, spec, cls)
        elif kind == "class":
            self.check_class(fqn, spec, cls)

    def check_public_name(self, fqn, spec, cls):
        module_name, path = self.ts.python_module_of(fqn)
        try:
            obj = importlib.import_module(module_name)
        except Exception as exc:  # noqa: BLE001
            self.fail(fqn, "cannot import %s: %s" % (module_name, _short_exc(exc)))
            return
        module = obj
        for part in path:
            obj = getattr(obj, _assembly.py_identifier(part), None)
        if obj is not cls:
            self.fail(fqn, "is not reachable as %s.%s" % (module_name, ".".join(path)))
        elif len(path) == 1 and path[0] not in getattr(module, "__all__", ()):
            self.fail(fqn, "%s is missing from %s.__all__" % (path[0], module_name))

    def check_enum(self, fqn, spec, cls):
        self.count["enums"] += 1
        want = [_assembly.py_identifier(m["name"]) for m in spec.get("members") or []]
        got = [m.name for m in cls]
        if got != want:
            self.fail(fqn, "enum members are %s, the assembly has %s" % (got, want))

    def check_struct(self, fqn, spec, cls):
        self.count["structs"] += 1
        props, complete = self.ts.struct_props(fqn)
        expected = {_assembly.py_param_name(p["name"]): p["name"] for p, _ in props}
        mapping = getattr(cls, "__jsii_name_mapping__", None)
        if mapping is None:
            self.fail(fqn, "is not a jsii data type (no name_mapping)")
            return
        for name, camel in expected.items():
            if mapping.get(name) != camel:
                self.fail(fqn, "name_mapping[%r] is %r, the assembly's property is %r" % (name, mapping.get(name), camel))
        if complete:
            for name in sorted(set(mapping) - set(expected)):
                self.fail(fqn, "name_mapping has %r -> %r, which the assembly doesn't have" % (name, mapping[name]))
        own_bases = [b for b in spec.get("interfaces") or [] if self.ts.is_own(b)]
        for base in own_bases:
            if _kernel.types.get(base) not in getattr(cls, "__jsii_struct_bases__", []):
                self.fail(fqn, "jsii_struct_bases lacks %s" % base)
        # a struct class is a callable whose 'lifted' parameter is the struct itself
        where = "%s(...)" % cls.__name__
        sig = inspect.signature(cls.__init__)
        params = list(sig.parameters.values())[1:]
        act = {p.name: p for p in params if p.kind == p.KEYWORD_ONLY}
        bad_kinds = [p.name for p in params if p.kind != p.KEYWORD_ONLY]
        if bad_kinds:
            self.fail(where, "parameters %s are not keyword-only" % bad_kinds)
        for prop, owner in props:
            name = _assembly.py_param_name(prop["name"])
            if name not in act:
                self.fail(where, "no keyword argument `%s` for %s.%s" % (name, owner, prop["name"]))
                return
            if bool(prop.get("optional")) != (act[name].default is not act[name].empty):
                self.fail(where, "`%s` should be %s" % (name, "optional" if prop.get("optional") else "required"))
        if complete and set(act) - set(expected):
            self.fail(where, "keyword arguments %s are not in the assembly" % sorted(set(act) - set(expected)))
        passed = {}
        for prop, _ in props:
            passed[_assembly.py_param_name(prop["name"])] = self.values.make(prop["type"], prop["name"])
        try:
            obj = cls(**passed)
        except Exception as exc:  # noqa: BLE001
            self.fail(where, "calling it with %s failed: %s" % (sorted(passed), _short_exc(exc)))
            return
        before = self.count["props"]
        self.check_struct_value(where, obj, fqn, props, passed)
        self.count["props"] = before  # count props once, where a constructor or method lifts them
        for prop, _ in props:
            name = _assembly.py_param_name(prop["name"])
            getter = _assembly.py_member_name(prop["name"])
            try:
                value = getattr(obj, getter)
            except Exception as exc:  # noqa: BLE001
                self.fail(where, "property `%s` failed: %s" % (getter, _short_exc(exc)))
                continue
            if value is not obj._values.get(name):
                self.fail(where, "property `%s` does not return the value given as `%s`" % (getter, name))

    def check_interface(self, fqn, spec, cls):
        self.count["interfaces"] += 1
        factory = getattr(cls, "__jsii_proxy_class__", None)
        if factory is None:
            self.fail(fqn, "has no proxy class")
            return
        proxy = factory()
        if proxy.__dict__.get("__jsii_type__") != fqn:
            self.fail(fqn, "its proxy class says it is %r" % proxy.__dict__.get("__jsii_type__"))
        self.check_members(fqn, spec, cls, proxy)

    def check_class(self, fqn, spec, cls):
        self.count["classes"] += 1
        base = spec.get("base")
        if base and self.ts.is_own(base) and not issubclass(cls, _kernel.types.get(base, ())):
            self.fail(fqn, "does not derive from %s" % base)
        for iface in spec.get("interfaces") or []:
            if self.ts.is_own(iface) and _kernel.types.get(iface) not in getattr(cls, "__jsii_ifaces__", []):
                self.fail(fqn, "is not marked as implementing %s" % iface)
        concrete = cls
        if spec.get("abstract") or inspect.isabstract(cls):
            factory = getattr(cls, "__jsii_proxy_class__", None)
            if factory is None:
                self.fail(fqn, "is abstract and has no proxy class")
                return
            concrete = factory()
        init = spec.get("initializer")
        if init is not None:
            self.count["constructors"] += 1
            self.check_callable(
                "%s(...)" % cls.__name__, cls.__init__, init.get("parameters") or [],
                concrete, "create", None, None, skip_first=True,
            )
        self.check_members(fqn, spec, cls, concrete)

    def check_jsii_name(self, where, raw, expected):
        """The @jsii.member(jsii_name=...) decorator names the assembly's member."""
        func = raw
        for attr in ("fget", "__func__"):
            func = getattr(func, attr, None) or func
        got = getattr(raw, "__jsii_name__", None) or getattr(func, "__jsii_name__", None)
        if got != expected:
            self.fail(where, "is decorated as jsii member %r, the assembly says %r" % (got, expected))

    def check_members(self, fqn, spec, cls, concrete):
        """Methods and properties declared by this type (inherited ones are checked on theirs)."""
        name_of = cls.__name__
        for method in spec.get("methods") or []:
            pyname = _assembly.py_member_name(method["name"], False, method.get("protected"))
            where = "%s.%s()" % (name_of, pyname)
            static = bool(method.get("static"))
            holder = cls if static else concrete
            try:
                raw = inspect.getattr_static(holder, pyname)
            except AttributeError:
                self.fail(where, "missing (assembly method %s.%s)" % (fqn, method["name"]))
                continue
            self.check_jsii_name(where, raw, method["name"])
            if static:
                self.count["static_members"] += 1
                if not isinstance(raw, (classmethod, staticmethod)):
                    self.fail(where, "is not a static method")
                    continue
                func = getattr(cls, pyname)
                self.check_callable(where, func, method.get("parameters") or [], func, "sinvoke",
                                    method["name"], cls, skip_first=False)
            else:
                self.count["members"] += 1
                instance = _kernel.blank_instance(concrete)
                func = getattr(instance, pyname)
                op = "ainvoke" if method.get("async") else "invoke"
                self.check_callable(where, func, method.get("parameters") or [], func, op,
                                    method["name"], instance, skip_first=False)
        for prop in spec.get("properties") or []:
            static = bool(prop.get("static"))
            pyname = _assembly.py_member_name(prop["name"], bool(prop.get("const")), prop.get("protected"))
            where = "%s.%s" % (name_of, pyname)
            holder = cls if static else concrete
            try:
                raw = inspect.getattr_static(holder, pyname)
            except AttributeError:
                self.fail(where, "missing (assembly property %s.%s)" % (fqn, prop["name"]))
                continue
            self.check_jsii_name(where, raw, prop["name"])
            self.count["static_members" if static else "members"] += 1
            if static:
                if type(raw).__name__ != "classproperty":
                    self.fail(where, "is not a static property")
                    continue
                self.check_read(where, lambda: getattr(cls, pyname), "sget", prop["name"], cls)
            else:
                if not isinstance(raw, property):
                    self.fail(where, "is not a property")
                    continue
                instance = _kernel.blank_instance(concrete)
                self.check_read(where, lambda: getattr(instance, pyname), "get", prop["name"], instance)
                if not prop.get("immutable"):
                    value = self.values.make(prop["type"], prop["name"], as_dict=False)
                    _kernel.reset_calls()
                    try:
                        setattr(instance, pyname, value)
                    except Exception as exc:  # noqa: BLE001
                        self.fail(where, "setting it failed: %s" % _short_exc(exc))
                        continue
                    if [(c.op, c.name) for c in _kernel.calls] != [("set", prop["name"])]:
                        self.fail(where, "setting it made kernel calls %s" % [(c.op, c.name) for c in _kernel.calls])

    def check_read(self, where, read, op, name, target):
        _kernel.reset_calls()
        try:
            read()
        except Exception as exc:  # noqa: BLE001
            self.fail(where, "reading it failed: %s" % _short_exc(exc))
            return
        got = [(c.op, c.name, c.target) for c in _kernel.calls]
        if got != [(op, name, target)]:
            self.fail(where, "reading it made kernel calls %s, expected jsii.%s(%r)" % (
                [(o, n) for o, n, _ in got], op, name))
        else:
            self.log("%s: ok" % where)

    def run(self, only=None):
        for fqn, spec in sorted(self.spec.get("types", {}).items()):
            if only is not None and fqn not in only:
                continue
            try:
                self.check_type(fqn, spec)
            except Exception as exc:  # noqa: BLE001 - report and go on with the next type
                self.fail(fqn, "the check itself failed: %s" % _short_exc(exc))
        return not self.failures


# -- wheel metadata --------------------------------------------------------------------------------


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def check_metadata(site, spec, failures):
    python = (spec.get("targets") or {}).get("python") or {}
    dist_infos = glob.glob(os.path.join(site, "*.dist-info"))
    if len(dist_infos) != 1:
        failures.append("wheel: expected one .dist-info, found %s" % [os.path.basename(d) for d in dist_infos])
        return
    with open(os.path.join(dist_infos[0], "METADATA"), encoding="utf-8") as f:
        meta = email.parser.Parser().parse(f, headersonly=True)
    if _norm(meta.get("Name", "")) != _norm(python.get("distName", "")):
        failures.append("wheel: Name is %r, the assembly's python distName is %r" % (meta.get("Name"), python.get("distName")))
    if re.fullmatch(r"\d+\.\d+\.\d+", spec["version"]) and meta.get("Version") != spec["version"]:
        failures.append("wheel: Version is %r, the assembly is %s" % (meta.get("Version"), spec["version"]))
    requires = {_norm(re.split(r"[\s(<>=!~;\[]", r.strip(), maxsplit=1)[0]) for r in meta.get_all("Requires-Dist") or []}
    wanted = {"jsii", "publication"}
    closure = spec.get("dependencyClosure") or {}
    for dep in spec.get("dependencies") or {}:
        dist = (((closure.get(dep) or {}).get("targets") or {}).get("python") or {}).get("distName")
        if dist:
            wanted.add(_norm(dist))
    for name in sorted(wanted - requires):
        failures.append("wheel: Requires-Dist lacks %s" % name)
    module_dir = os.path.join(site, *python.get("module", "?").split("."))
    for rel in ("__init__.py", "py.typed", os.path.join("_jsii", "__init__.py")):
        if not os.path.isfile(os.path.join(module_dir, rel)):
            failures.append("wheel: %s is missing" % os.path.join(python.get("module", "?"), rel))


# -- example apps ----------------------------------------------------------------------------------


def run_example(path, own_types):
    """Run a CDK app file as __main__; returns a list of failure messages."""
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        return ["%s: no such file" % path]
    _kernel.reset_calls()
    saved_argv, saved_path, saved_cwd = sys.argv, list(sys.path), os.getcwd()
    sys.argv = [path]
    sys.path.insert(0, os.path.dirname(path))
    os.chdir(os.path.dirname(path))
    failures = []
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            failures.append("%s: exited with %r" % (path, exc.code))
    except BaseException as exc:  # noqa: BLE001
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(os.path.dirname(path))]
        where = " at %s:%d: %s" % (os.path.relpath(frames[-1].filename, saved_cwd), frames[-1].lineno, frames[-1].line) if frames else ""
        failures.append("%s failed%s\n    %s: %s" % (os.path.relpath(path, saved_cwd), where, type(exc).__name__, exc))
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
        os.chdir(saved_cwd)
    used = {}
    for call in _kernel.calls:
        cls = call.target if isinstance(call.target, type) else type(call.target)
        binding = _kernel.first_binding_class(cls)
        if binding is None:
            continue
        type_name = binding.__dict__["__jsii_type__"].rsplit(".", 1)[-1]
        key = "%s(...)" % type_name if call.op == "create" else "%s.%s" % (type_name, call.name)
        used[key] = used.get(key, 0) + 1
    summary = ", ".join("%s x%d" % kv if kv[1] > 1 else kv[0] for kv in sorted(used.items())) or "none"
    status = "FAILED" if failures else "ok"
    print("python example %s: %s; calls into the binding: %s" % (os.path.relpath(path, saved_cwd), status, summary))
    if not failures and not any(k.endswith("(...)") for k in used):
        print("  warning: the example constructs nothing from the binding")
    return failures


# -- self-test: the check must notice a binding that differs from the assembly ----------------------


def self_test(ts_factory, spec, verbose):
    """Rename one lifted prop and one static member in a copy of the assembly; the check of the
    unchanged binding against it must fail. Returns (messages, failures)."""
    messages, failures = [], []
    mutants = []
    for fqn, t in sorted(spec.get("types", {}).items()):
        params = ((t.get("initializer") or {}).get("parameters") or []) if t.get("kind") == "class" else []
        last = params[-1]["type"].get("fqn") if params else None
        target = spec["types"].get(last) if last else None
        if target and target.get("datatype") and target.get("properties"):
            mutants.append(("a renamed constructor prop", fqn, last, "properties"))
            break
    for fqn, t in sorted(spec.get("types", {}).items()):
        statics = [p for p in t.get("properties") or [] if p.get("static")]
        if t.get("kind") == "class" and statics:
            mutants.append(("a renamed static member", fqn, fqn, "static"))
            break
    for label, checked, mutated_fqn, what in mutants:
        mutant = copy.deepcopy(spec)
        target = mutant["types"][mutated_fqn]
        if what == "properties":
            target["properties"][0]["name"] += "Renamed"
        else:
            prop = next(p for p in target["properties"] if p.get("static"))
            prop["name"] += "_RENAMED" if prop.get("const") else "Renamed"
        checker = Checker(ts_factory(mutant), mutant, verbose=False)
        checker.run(only={checked, mutated_fqn})
        if checker.failures:
            messages.append("%s (%d failures)" % (label, len(checker.failures)))
            if verbose:
                for failure in checker.failures:
                    print("  self-test saw: " + failure)
        else:
            failures.append("self-test: the check did not notice %s in %s" % (label, mutated_fqn))
    return messages, failures


def main(argv=None):
    global _kernel, _assembly, SITE
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", required=True, help="folder the wheel was installed into")
    parser.add_argument("--deps-dir", default="", help="node_modules holding the dependency assemblies")
    parser.add_argument("--example", action="append", default=[], help="a Python CDK app to run")
    parser.add_argument("--self-test", action="store_true", help="also prove the check catches a mismatch")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)

    SITE = os.path.abspath(args.site)
    _setup_path(SITE)
    from jsii import _assembly as assembly_mod, _kernel as kernel_mod  # noqa: E402

    _kernel, _assembly = kernel_mod, assembly_mod
    _kernel.type_system.deps_dir = args.deps_dir or None

    tarballs = glob.glob(os.path.join(args.site, "**", "_jsii", "*.jsii.tgz"), recursive=True)
    if len(tarballs) != 1:
        print("python wheel check: FAILED, expected one _jsii/*.jsii.tgz in the wheel, found %s" % tarballs)
        return 1
    spec = _assembly.read_assembly_tarball(tarballs[0])
    python = (spec.get("targets") or {}).get("python") or {}
    module_name = python.get("module")
    failures = []
    expected_dir = os.path.join(os.path.abspath(args.site), *(module_name or "?").split("."), "_jsii")
    if os.path.dirname(os.path.abspath(tarballs[0])) != expected_dir:
        failures.append("wheel: the assembly is at %s, expected under %s" % (tarballs[0], expected_dir))
    check_metadata(args.site, spec, failures)

    try:
        importlib.import_module(module_name)
        for sub_fqn, sub in (spec.get("submodules") or {}).items():
            importlib.import_module(_assembly.python_submodule(module_name, spec["name"], sub_fqn, sub))
    except Exception:  # noqa: BLE001
        print("python wheel check: FAILED, importing %s against the stand-ins failed:" % module_name)
        traceback.print_exc()
        return 1

    checker = Checker(_kernel.type_system, spec, verbose=args.verbose)
    checker.run()
    failures.extend(checker.failures)
    c = checker.count
    print(
        "python wheel check: %d classes, %d props checked (%s@%s as %s: %d constructors, %d structs, "
        "%d enums, %d interfaces, %d static members, %d instance members%s)"
        % (c["classes"], c["props"], spec["name"], spec["version"], module_name, c["constructors"],
           c["structs"], c["enums"], c["interfaces"], c["static_members"], c["members"],
           ", %d skipped" % c["skipped"] if c["skipped"] else "")
    )
    for note in checker.notes:
        print("  note: " + note)

    if args.self_test and not failures:
        def ts_factory(mutant):
            ts = _assembly.TypeSystem(deps_dir=args.deps_dir or None)
            for name, dep in _kernel.type_system.assemblies.items():  # reuse what is loaded
                if name != spec["name"]:
                    ts.add(dep)
            ts.add(mutant, own=True)
            return ts

        caught, self_failures = self_test(ts_factory, spec, args.verbose)
        failures.extend(self_failures)
        if caught:
            print("  self-test: the check catches " + " and ".join(caught))
        elif not self_failures:
            print("  self-test: nothing to mutate yet (no constructor props, no static members)")

    for example in args.example:
        failures.extend(run_example(example, set(spec.get("types", {}))))

    if failures:
        print("python wheel check: FAILED (%d problems)" % len(failures))
        for failure in failures:
            print("  - " + failure)
        return 1
    print("python wheel check: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
