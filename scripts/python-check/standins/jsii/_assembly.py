"""Reading jsii assemblies and jsii-pacmak's Python naming rules (stdlib only).

Shared by the jsii stand-in kernel (which answers calls with values of the declared type) and by
binding_check.py (which derives the expected Python API from the assembly).
"""

import gzip
import json
import os
import re
import tarfile

# jsii-pacmak (lib/targets/python/util.js): identifiers that get a trailing underscore.
PYTHON_KEYWORDS = frozenset(
    """False None True and as assert async await break class continue def del elif else except
    finally for from global if import in is lambda nonlocal not or pass raise return try while
    with yield""".split()
)

# codemaker's toSnakeCase keeps these abbreviations together (sizeInGiB -> size_in_gib).
_ABBREV_RE = re.compile(r"(^|[^A-Z])(KiB|MiB|GiB)($|[^a-z])")


def to_snake_case(name):
    """codemaker.toSnakeCase: the `decamelize` rule plus KiB/MiB/GiB (ASCII identifiers)."""

    def keep_abbrev(match):
        abbr = match.group(2)
        return match.group(1) + abbr[0].upper() + abbr[1:].lower() + match.group(3)

    name = _ABBREV_RE.sub(keep_abbrev, name)
    if len(name) < 2:
        return name.lower()
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z])([A-Z][a-z]+)", r"\1_\2", name)
    return name.lower()


def py_identifier(name):
    return name + "_" if name in PYTHON_KEYWORDS else name


def py_member_name(name, const=False, protected=False):
    """Python name of a jsii property or method (toPythonPropertyName / toPythonMethodName)."""
    value = py_identifier(to_snake_case(name))
    if const:
        value = value.upper()
    if protected:
        value = "_" + value
    return value


def py_param_name(name, lifted_names=()):
    """Python name of a parameter; positional ones that collide with a lifted prop get `_`."""
    value = py_identifier(to_snake_case(name))
    while value in lifted_names:
        value += "_"
    return value


def read_assembly_tarball(path_or_fileobj):
    """The assembly JSON inside an npm tarball (`package/.jsii`, following a gzip redirect)."""
    if isinstance(path_or_fileobj, (str, os.PathLike)):
        tar = tarfile.open(path_or_fileobj, "r:gz")
    else:
        tar = tarfile.open(fileobj=path_or_fileobj, mode="r:gz")
    with tar:
        spec = json.load(tar.extractfile("package/.jsii"))
        if spec.get("schema") == "jsii/file-redirect":
            raw = tar.extractfile("package/" + spec["filename"]).read()
            spec = json.loads(_decompress(raw, spec))
    return spec


def read_assembly_dir(package_dir):
    """The assembly of an installed npm package (`<dir>/.jsii`, following a gzip redirect)."""
    with open(os.path.join(package_dir, ".jsii"), "rb") as f:
        spec = json.load(f)
    if spec.get("schema") == "jsii/file-redirect":
        with open(os.path.join(package_dir, spec["filename"]), "rb") as f:
            spec = json.loads(_decompress(f.read(), spec))
    return spec


def _decompress(raw, redirect):
    if redirect.get("compression") == "gzip":
        return gzip.decompress(raw)
    return raw


class TypeSystem:
    """The assemblies known to this run: the checked one(s) and, when a node_modules folder is
    given, the dependencies that are actually needed (loaded lazily: aws-cdk-lib's is large)."""

    def __init__(self, deps_dir=None):
        self.assemblies = {}
        self.deps_dir = deps_dir
        self._unavailable = set()
        self.own_names = set()

    def add(self, spec, own=False):
        self.assemblies[spec["name"]] = spec
        if own:
            self.own_names.add(spec["name"])

    def assembly_names(self):
        names = set(self.assemblies)
        for spec in list(self.assemblies.values()):
            names.update(spec.get("dependencyClosure", {}))
        return names

    def owner_of(self, fqn):
        """Name of the assembly that declares `fqn` (longest matching prefix)."""
        best = None
        for name in self.assembly_names():
            if fqn.startswith(name + ".") and (best is None or len(name) > len(best)):
                best = name
        return best

    def is_own(self, fqn):
        return self.owner_of(fqn) in self.own_names

    def assembly(self, name):
        if name in self.assemblies:
            return self.assemblies[name]
        if name in self._unavailable or not self.deps_dir:
            return None
        try:
            spec = read_assembly_dir(os.path.join(self.deps_dir, *name.split("/")))
        except (OSError, ValueError, KeyError):
            self._unavailable.add(name)
            return None
        self.assemblies[name] = spec
        return spec

    def find(self, fqn):
        """The type spec of `fqn`, or None when its assembly is not available."""
        owner = self.owner_of(fqn)
        spec = self.assembly(owner) if owner else None
        return spec.get("types", {}).get(fqn) if spec else None

    def python_module_of(self, fqn):
        """(python module, attribute path) where jsii-pacmak puts type `fqn`."""
        owner = self.owner_of(fqn)
        if owner is None:
            return None, fqn.split(".")
        info = None
        for spec in self.assemblies.values():
            if spec["name"] == owner:
                info = spec
                break
            closure = spec.get("dependencyClosure", {})
            if owner in closure:
                info = closure[owner]
                break
        module = ((info or {}).get("targets", {}).get("python") or {}).get("module")
        module = module or owner.replace("-", "_")
        rest = fqn[len(owner) + 1:]
        best = ""
        root_module = module
        for sub, sub_info in ((info or {}).get("submodules") or {}).items():
            if fqn.startswith(sub + ".") and len(sub) > len(best):
                best, module = sub, python_submodule(root_module, owner, sub, sub_info)
        if best:
            rest = fqn[len(best) + 1:]
        return module, rest.split(".")

    def is_struct(self, fqn):
        """True / False, or None when the type's assembly is not available."""
        spec = self.find(fqn)
        if spec is None:
            return None
        return spec.get("kind") == "interface" and bool(spec.get("datatype"))

    def struct_props(self, fqn):
        """All properties of struct `fqn` in jsii-pacmak's lifting order, as a list of
        (property spec, defining fqn), and whether every base struct could be resolved."""
        props, seen_props, seen_types = [], set(), {fqn}
        queue, complete = [fqn], True
        while queue:
            current = queue.pop(0)
            spec = self.find(current)
            if spec is None:
                complete = False
                continue
            for base in spec.get("interfaces") or []:
                if base not in seen_types:
                    seen_types.add(base)
                    queue.append(base)
            for prop in spec.get("properties") or []:
                if prop["name"] not in seen_props:
                    seen_props.add(prop["name"])
                    props.append((prop, current))
        return props, complete

    def find_member(self, fqn, name, static):
        """Look `name` up in type `fqn` and its bases: ('property'|'method', spec), or
        (None, complete) when absent; complete is False if part of the hierarchy is unknown."""
        queue, seen, complete = [fqn], set(), True
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            spec = self.find(current)
            if spec is None:
                complete = False
                continue
            for prop in spec.get("properties") or []:
                if prop["name"] == name and bool(prop.get("static")) == static:
                    return "property", prop
            for method in spec.get("methods") or []:
                if method["name"] == name and bool(method.get("static")) == static:
                    return "method", method
            if spec.get("base"):
                queue.append(spec["base"])
            queue.extend(spec.get("interfaces") or [])
        return None, complete

    def python_member_names(self, fqn):
        """Python names of the members of `fqn` and its bases (None if part is unknown)."""
        names, queue, seen = set(), [fqn], set()
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            spec = self.find(current)
            if spec is None:
                return None
            for prop in spec.get("properties") or []:
                names.add(py_member_name(prop["name"], prop.get("const"), prop.get("protected")))
            for method in spec.get("methods") or []:
                names.add(py_member_name(method["name"], False, method.get("protected")))
            if spec.get("base"):
                queue.append(spec["base"])
            queue.extend(spec.get("interfaces") or [])
        return names


def python_submodule(root_module, owner, sub_fqn, sub_info):
    """The Python module of a jsii submodule: its own python target, else jsii-pacmak's default,
    the parent's module and the submodule's snake_case names (`cdk-elasticache.tf` -> `cdk_elasticache.tf`)."""
    explicit = (((sub_info or {}).get("targets") or {}).get("python") or {}).get("module")
    if explicit:
        return explicit
    parts = sub_fqn[len(owner) + 1:].split(".")
    return ".".join([root_module] + [re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", p).lower() for p in parts])
