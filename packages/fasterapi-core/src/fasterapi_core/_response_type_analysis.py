"""What a declared response type needs, decided once at registration: exact-Struct checks and nested objects, and
the status a response class sends by default.

``MsgspecModelSerializer`` (``_response_model``) uses these to send a value of exactly its declared type as it is
and to walk only the types that can hold something undeclared.
"""

from __future__ import annotations

import inspect
import keyword
import sys
from collections.abc import Callable, Iterator
from typing import Any, get_args

import msgspec

from ._annotations import nested_type_nodes, strip_annotated

__all__ = ("default_status_code", "exact_struct_check", "holds_structured_types", "nests_objects", "unservable_classes")
_OBJECT_TYPES = (
    msgspec.inspect.StructType,
    msgspec.inspect.DataclassType,
    msgspec.inspect.TypedDictType,
    msgspec.inspect.NamedTupleType,
)
#: The nodes that are, or may be, an object: ``Any`` and custom types may hold anything.
_MAY_BE_OBJECTS = (*_OBJECT_TYPES, msgspec.inspect.CustomType, msgspec.inspect.AnyType)
_SCALAR_CLASSES = (str, int, float, bool, bytes, bytearray, dict, list, set, tuple, frozenset)


def default_status_code(response_class: Any) -> int:
    """The status ``response_class`` sends when a route sets none: the default of its ``status_code`` parameter
    (307 for ``RedirectResponse``), else 200, as FastAPI reads it for both the response and the document."""
    try:
        parameter = inspect.signature(response_class).parameters.get("status_code")
    except (TypeError, ValueError):
        return 200
    default = parameter.default if parameter is not None else None
    return default if isinstance(default, int) and not isinstance(default, bool) else 200


# Where the classes msgspec leaves to a hook come from when the framework or pydantic knows how to send them.
_KNOWN_PACKAGES = frozenset(
    {"pydantic", "pydantic_core", "pydantic_extra_types", "msgspec", "fasterapi_core", "FasterAPI", "fastapi"}
)


def unservable_classes(model: Any) -> list[type[Any]]:
    """The plain classes in a declared response type: neither msgspec nor pydantic can validate a value as one.

    A response model such as ``list[Thing]`` for a plain ``class Thing`` would fail on every request; FastAPI refuses
    it when the route is declared (``FastAPIError``), and so do the callers. Classes of the standard library, of
    pydantic (and its extra types) and classes with a pydantic core schema are known.
    """
    return [cls for cls in _custom_classes(model) if not _known_class(cls)]


def _custom_classes(model: Any) -> Iterator[Any]:
    try:
        root = msgspec.inspect.type_info(model)
    except (TypeError, ValueError):
        return
    pending, seen = [root], set()
    while pending:
        top = pending.pop()
        for node in (top, *nested_type_nodes(top)):
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, msgspec.inspect.Metadata):
                pending.append(node.type)
            elif isinstance(node, msgspec.inspect.CustomType):
                yield node.cls


def _known_class(cls: Any) -> bool:
    if not isinstance(cls, type) or hasattr(cls, "__get_pydantic_core_schema__"):
        return True
    package = (getattr(cls, "__module__", None) or "").partition(".")[0]
    return package in _KNOWN_PACKAGES or package in sys.stdlib_module_names


def nests_objects(model: Any) -> bool:
    """True when a value of ``model`` may hold objects (Structs, dataclasses...) below its top level.

    Unknown and ``Any`` fields count as holding objects.
    """
    try:
        root = msgspec.inspect.type_info(model)
    except (TypeError, ValueError):
        return True
    return any(isinstance(node, _MAY_BE_OBJECTS) for node in nested_type_nodes(root))


def exact_struct_check(model: Any) -> Callable[[Any], bool] | None:
    """A per-response test that ``value`` is exactly a ``model`` Struct whose nested Structs are exactly theirs.

    PERF: such a value holds nothing its declared type does not declare, so its own encoding is what the round
    trip through the declared type's decoder would give (the same guarantee as ``_exact_type`` for flat types).
    Only Structs are admitted, with fields that are flat (``nests_objects`` is false), a Struct of this kind, or an
    optional, list or ``dict[str, ...]`` of one; None (no shortcut) for anything else: unions of objects,
    dataclasses, TypedDicts, generics, ``Any``, recursive types. The test is generated as straight-line code
    (type identity checks and loops only): a generic walk costs as much as the round trip it replaces.
    """
    checks = _struct_field_checks(model, ())
    if checks is None:
        return None
    classes: dict[str, Any] = {}
    lines = ["def check(v0):"]
    counter = [0]

    def class_name(cls: Any) -> str:
        name = f"C{len(classes)}"
        classes[name] = cls
        return name

    def emit(var: str, nested: tuple[_FieldCheck, ...], indent: str) -> None:
        for field_name, kind, cls, inner in nested:
            counter[0] += 1
            item, element = f"v{counter[0]}", f"e{counter[0]}"
            cls_name = class_name(cls)
            lines.append(f"{indent}{item} = {var}.{field_name}")
            if kind == "one":
                lines.append(f"{indent}if type({item}) is not {cls_name}: return False")
                emit(item, inner, indent)
            elif kind == "optional":
                lines.append(f"{indent}if {item} is not None:")
                lines.append(f"{indent}    if type({item}) is not {cls_name}: return False")
                emit(item, inner, indent + "    ")
            else:
                container, values = ("list", item) if kind == "list" else ("dict", f"{item}.values()")
                lines.append(f"{indent}if type({item}) is not {container}: return False")
                lines.append(f"{indent}for {element} in {values}:")
                lines.append(f"{indent}    if type({element}) is not {cls_name}: return False")
                emit(element, inner, indent + "    ")

    lines.append(f"    if type(v0) is not {class_name(model)}: return False")
    emit("v0", checks, "    ")
    lines.append("    return True")
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), dict(classes), namespace)  # noqa: S102 - generated from field names checked above
    check: Callable[[Any], bool] = namespace["check"]
    return check


_FieldCheck = tuple[str, str, Any, Any]


def _struct_field_checks(model: Any, visiting: tuple[Any, ...]) -> tuple[_FieldCheck, ...] | None:
    if not (isinstance(model, type) and issubclass(model, msgspec.Struct)) or model in visiting:
        return None
    try:
        info = msgspec.inspect.type_info(model)
    except (TypeError, ValueError):
        return None
    if not isinstance(info, msgspec.inspect.StructType):
        return None
    checks: list[_FieldCheck] = []
    for field in info.fields:
        node = field.type
        if not _nests(node):
            continue
        kind = "one"
        if isinstance(node, msgspec.inspect.UnionType):
            members = [member for member in node.types if not isinstance(member, msgspec.inspect.NoneType)]
            if len(members) != 1 or len(node.types) != 2:
                return None
            node, kind = members[0], "optional"
        elif isinstance(node, msgspec.inspect.ListType):
            node, kind = node.item_type, "list"
        elif isinstance(node, msgspec.inspect.DictType) and isinstance(node.key_type, msgspec.inspect.StrType):
            node, kind = node.value_type, "dict"
        if not isinstance(node, msgspec.inspect.StructType) or bool(getattr(node.cls, "__parameters__", None)):
            return None
        nested = _struct_field_checks(node.cls, (*visiting, model))
        if nested is None or not field.name.isidentifier() or keyword.iskeyword(field.name):
            return None
        checks.append((field.name, kind, node.cls, nested))
    return tuple(checks)


def _nests(node: Any) -> bool:
    """Whether a msgspec type node is or may hold an object (see ``nests_objects``)."""
    if isinstance(node, _MAY_BE_OBJECTS):
        return True
    return any(isinstance(child, _MAY_BE_OBJECTS) for child in nested_type_nodes(node))


def holds_structured_types(model: Any) -> bool:
    """True when a validated value may differ from its input (Structs, dataclasses... drop unknown fields)."""
    bare, _ = strip_annotated(model)
    if isinstance(bare, type) and bare not in _SCALAR_CLASSES:
        return not issubclass(bare, (str, int, float, bytes))
    return any(holds_structured_types(arg) for arg in get_args(bare) if arg is not Ellipsis)
