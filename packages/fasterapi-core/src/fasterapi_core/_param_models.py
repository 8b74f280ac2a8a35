"""Parameter models: one model that gathers several query, header, cookie or form parameters.

``filters: Annotated[FilterParams, Query()]`` reads every field of ``FilterParams`` (a pydantic model, a
``msgspec.Struct``, a dataclass or a TypedDict) from the query string, as FastAPI's "Query/Header/Cookie
Parameter Models" do; ``Annotated[Login, Form()]`` does the same with form fields. What the request carries
beyond the model's fields is passed along too, so a model that forbids extra fields (pydantic's
``extra="forbid"``, msgspec's ``forbid_unknown_fields``) answers them with ``422 extra_forbidden``. Errors are
located by source and field, ``["query", "limit"]``; header fields read the hyphenated name (``save_data`` reads
``save-data``) and are reported by it.

A form parameter typed as a union of pydantic models (``Annotated[Text | Upload | None, Form()]``) is a
``FormUnion``: each branch reads its own fields from the same form, as FastAPI reads them.

Everything about the model is worked out once, at registration, into a ``ParameterModel``.
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_origin

import msgspec

from ._annotations import (
    SEQUENCE_ORIGINS,
    involves_pydantic,
    non_none_members,
    strip_annotated,
    union_members,
    unions_a_sequence,
)
from ._error_translation import ErrorList, ValidationFailure, missing_error
from ._validation import TypeValidator, bool_from_string
from .datastructures import UploadFile
from .params import MISSING

if TYPE_CHECKING:
    from ._signature import FieldSpec

__all__ = ("FormUnion", "ModelMember", "ParameterModel", "parameter_model")

ExtraPolicy = Literal["ignore", "allow", "forbid"]

_ABSENT: Any = object()
# Stand-ins for the default of a field that has none (it is required) and of an optional field without a default
# value to document (a factory makes it, or it is a TypedDict key that may be left out).
_REQUIRED: Any = object()
_FACTORY: Any = object()


@dataclass(frozen=True, slots=True)
class ModelMember:
    """One field of a parameter model: where it is read from and how it is documented.

    ``names`` lists ``(key, declared name, lookup name)`` in order of preference: the model validates the value
    under ``key``, the request carries it as ``declared name`` (``lookup name`` is the same, lower-cased for
    headers, which match case-insensitively). Usually there is one; alias choices and ``populate_by_name``
    add more.
    """

    name: str
    names: tuple[tuple[str, str, str], ...]
    ignored: tuple[str, ...]
    annotation: Any
    required: bool
    default: Any
    is_sequence: bool
    takes_bools: bool
    title: str | None = None
    description: str | None = None
    deprecated: bool = False
    examples: list[Any] | None = None
    json_schema_extra: dict[str, Any] | None = None
    pydantic_schema: bool = False

    @property
    def key(self) -> str:
        """The name the model validates the value under (its alias)."""
        return self.names[0][0]

    @property
    def request_name(self) -> str:
        """The name the request carries the value under, as declared (what OpenAPI documents)."""
        return self.names[0][1]


class ParameterModel:
    """A model whose fields are read from one part of the request (query, headers, cookies or form).

    Args:
        model: The model class.
        members: Its fields.
        source: ``"query"``, ``"header"``, ``"cookie"`` or ``"form"``.
        optional: The parameter is ``Model | None``: when the request carries none of its fields it takes its
            default instead of being validated.
        extra: What the model does with fields it does not declare.
    """

    __slots__ = ("extra", "locations_by_alias", "members", "model", "optional", "source", "validator")

    def __init__(
        self,
        model: type,
        members: tuple[ModelMember, ...],
        *,
        source: str,
        optional: bool,
        extra: ExtraPolicy,
        validated: Any = None,
    ) -> None:
        self.model = model
        self.members = members
        self.source = source
        self.optional = optional
        self.extra = extra
        self.validator = TypeValidator(model if validated is None else validated, from_string=True)
        #: Errors name a header by the name the request carries it under, unless pydantic's ``loc_by_alias=False``
        #: asks for the Python field names (as FastAPI does).
        config = getattr(model, "model_config", None)
        self.locations_by_alias = not (isinstance(config, dict) and config.get("loc_by_alias") is False)

    def document(self, pairs: Iterable[tuple[str, Any]]) -> tuple[dict[str, Any], dict[str, str], bool]:
        """The input the model validates, built from the request's ``(name, value)`` pairs.

        Returns:
            The document (the model's fields by key, then every other name the request carries), the declared
            request name of each field whose key differs from it (for error locations), and whether the request
            carries any of the model's fields.
        """
        return self.document_of(_grouped(pairs))

    def document_of(self, grouped: dict[str, list[Any]]) -> tuple[dict[str, Any], dict[str, str], bool]:
        """``document`` from the request's values grouped by name."""
        document: dict[str, Any] = {}
        renamed: dict[str, str] = {}
        processed: set[str] = set()
        supplied = False
        is_form = self.source == "form"
        for member in self.members:
            if is_form:
                # A form field's names are tried in order: one that is absent or left blank passes to the next, as
                # FastAPI reads them; the names after the one read stay for the model as extras.
                for key, _, lookup in member.names:
                    processed.add(lookup)
                    found = grouped.get(lookup)
                    if found is None:
                        continue
                    supplied = True
                    value = self._value(member, found, is_form)
                    if value is not _ABSENT:
                        document[key] = value
                        break
                continue
            key, declared, lookup = next((names for names in member.names if names[2] in grouped), member.names[0])
            processed.add(lookup)
            processed.update(member.ignored)
            if key != declared and self.locations_by_alias:
                renamed[key] = declared
            found = grouped.get(lookup)
            if found is None:
                continue
            supplied = True
            value = self._value(member, found, is_form)
            if value is not _ABSENT:
                document[key] = value
        cookies = self.source == "cookie"
        for name, found in grouped.items():
            if name not in processed:
                # A request's cookies are a dict in FastAPI: the last of a repeated name, never a list.
                document[name] = found[-1] if cookies or len(found) == 1 else found
        return document, renamed, supplied

    def _value(self, member: ModelMember, found: list[Any], is_form: bool) -> Any:
        if is_form:
            # Browsers send an empty file part when no file is chosen; FastAPI reads it as absent.
            found = [item for item in found if not _is_empty_upload(item)]
            if not found:
                return _ABSENT
        if member.is_sequence and self.source != "cookie":
            # Cookies are one value per name (the last, as in FastAPI): a sequence field is given that string.
            value: Any = found
        else:
            # As in FastAPI: the first of repeated headers, the last of repeated query or form fields.
            value = found[0] if self.source == "header" else found[-1]
            if is_form and value == "":
                # An empty form field is a field left blank: absent, as FastAPI reads it.
                return _ABSENT
        if member.takes_bools:
            value = [_bool(item) for item in value] if isinstance(value, list) else _bool(value)
        return value

    def take_default(self, field: FieldSpec, values: dict[str, Any], errors: ErrorList) -> None:
        """The default of a model the request does not carry (validated when the marker says ``validate_default``)."""
        default = field.make_default()
        if default is None or not getattr(field.marker, "validate_default", False):
            values[field.name] = default
            return
        try:
            values[field.name] = self.validator.validate_python(default)
        except ValidationFailure as failure:
            for error in failure.errors:
                error["loc"] = (*field.loc[:1], *error["loc"])
                errors.append(error)

    def solve(
        self, field: FieldSpec, pairs: Iterable[tuple[str, Any]], values: dict[str, Any], errors: ErrorList
    ) -> None:
        """Validate the model from the request's pairs into ``values[field.name]``; errors go to ``errors``."""
        document, renamed, supplied = self.document(pairs)
        prefix = field.loc[:1]
        if self.optional and not supplied and not (self.extra != "ignore" and document):
            if field.required:
                errors.append(missing_error(prefix))
            else:
                self.take_default(field, values, errors)
            return
        try:
            values[field.name] = self.validator.validate_python(document)
        except ValidationFailure as failure:
            for error in failure.errors:
                loc = error["loc"]
                if loc and loc[0] in renamed:
                    loc = [renamed[loc[0]], *loc[1:]]
                error["loc"] = (*prefix, *loc)
                errors.append(error)


class FormUnion(ParameterModel):
    """A form parameter typed as a union of pydantic models (``Annotated[A | B | None, Form()]``).

    Each branch reads its own fields from the same flat form, as FastAPI does: a branch sees a field left blank as
    absent (it takes the model's default), a list field as every value sent, and the form's other fields as extras.
    The branches are tagged by model name (or their own ``Tag``), so errors are located as
    ``["body", "TextForm", "value"]``. An optional union whose models find none of their fields in the form takes
    its default.

    Args:
        annotation: The parameter's annotation (the union, with its metadata such as a discriminator).
        branches: The ParameterModel of each model of the union, in order.
        optional: The union includes ``None``.
    """

    __slots__ = ("branches", "documented", "own_names")

    def __init__(self, annotation: Any, branches: tuple[ParameterModel, ...], *, optional: bool) -> None:
        import functools

        from pydantic import BeforeValidator, Tag

        bare, metadata = strip_annotated(annotation)
        choices: list[Any] = []
        models = iter(branches)
        for member in union_members(bare) or ():
            if member is type(None):
                choices.append(member)
                continue
            branch = next(models)
            tag = next((item for item in reversed(strip_annotated(member)[1]) if isinstance(item, Tag)), None)
            normalize = BeforeValidator(functools.partial(_branch_document, branch))
            choices.append(typing.Annotated[member, normalize, tag or Tag(branch.model.__name__)])
        union: Any = typing.Union[tuple(choices)]  # noqa: UP007 - built from a runtime list
        tagged = typing.Annotated[union, *metadata] if metadata else union
        present: Any = typing.Union[tuple(member for member in union_members(bare) or () if member is not type(None))]  # noqa: UP007
        #: What OpenAPI documents: the models of the union, without its None (an absent form is no null body).
        self.documented = typing.Annotated[present, *metadata] if metadata else present
        self.model = bare
        self.branches = branches
        self.members = tuple(member for branch in branches for member in branch.members)
        self.source = "form"
        self.optional = optional
        self.locations_by_alias = True
        policies = {branch.extra for branch in branches}
        self.extra = "forbid" if "forbid" in policies else "allow" if "allow" in policies else "ignore"
        self.own_names = frozenset(names[2] for member in self.members for names in member.names)
        self.validator = TypeValidator(tagged, from_string=True, use_pydantic=True)

    def solve(
        self, field: FieldSpec, pairs: Iterable[tuple[str, Any]], values: dict[str, Any], errors: ErrorList
    ) -> None:
        """Validate the union from the form's pairs into ``values[field.name]``; errors go to ``errors``."""
        grouped = _grouped(pairs)
        if (
            self.optional
            and self.own_names.isdisjoint(grouped)
            and not (grouped and any(branch.extra != "ignore" for branch in self.branches))
        ):
            if field.required:
                errors.append(missing_error(field.loc[:1]))
            else:
                self.take_default(field, values, errors)
            return
        # Each branch picks its own fields from the raw values (see ``_branch_document``).
        document = {name: found[0] if len(found) == 1 else found for name, found in grouped.items()}
        try:
            values[field.name] = self.validator.validate_python(document)
        except ValidationFailure as failure:
            for error in failure.errors:
                error["loc"] = (*field.loc[:1], *error["loc"])
                errors.append(error)


def _branch_document(branch: ParameterModel, value: Any) -> Any:
    """The input one branch of a form union validates: its own fields read from the form's values."""
    if not isinstance(value, dict):
        return value
    grouped = {name: list(item) if isinstance(item, list) else [item] for name, item in value.items()}
    document = branch.document_of(grouped)[0]
    # A validator before this one may have put values no form can carry: they are passed on as they are.
    for name, item in value.items():
        if item is None or (isinstance(item, list) and not item):
            document[name] = item
    return document


def _grouped(pairs: Iterable[tuple[str, Any]]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for name, value in pairs:
        found = grouped.get(name)
        if found is None:
            grouped[name] = [value]
        else:
            found.append(value)
    return grouped


def _bool(value: Any) -> Any:
    return bool_from_string(value) if isinstance(value, str) else value


def _is_empty_upload(value: Any) -> bool:
    return isinstance(value, UploadFile) and value.filename == "" and not value.size


def _is_sequence(annotation: Any) -> bool:
    """True for list, set, tuple and sequence annotations (optionally in a union with ``None``), of any items, and for
    unions with such a member (``int | list[int]``: FastAPI collects every value of a repeated key for it)."""
    bare, _ = strip_annotated(annotation)
    members = non_none_members(bare)
    if len(members) != 1:
        return unions_a_sequence(bare)
    target = strip_annotated(members[0])[0]
    return target in (list, set, frozenset, tuple) or get_origin(target) in SEQUENCE_ORIGINS


def _takes_bools(annotation: Any) -> bool:
    """True for ``bool`` (optional, or as the items of a sequence): pydantic's spellings are applied for msgspec."""
    bare, _ = strip_annotated(annotation)
    for member in non_none_members(bare):
        target = strip_annotated(member)[0]
        if target is bool:
            return True
        if get_origin(target) in SEQUENCE_ORIGINS:
            arguments = typing.get_args(target)
            if arguments and strip_annotated(arguments[0])[0] is bool:
                return True
    return False


def _names(key: str, name: str, *, header: bool, convert_underscores: bool) -> tuple[str, str, str]:
    """The names of a field validated under ``key``: a header field without an alias reads the hyphenated name."""
    declared = key.replace("_", "-") if header and convert_underscores and key == name else key
    return key, declared, declared.lower() if header else declared


def _ignored(names: tuple[tuple[str, str, str], ...], header: bool) -> tuple[str, ...]:
    # A header sent under the unconverted field name is neither read nor counted as an extra, as in FastAPI.
    return tuple(key.lower() for key, declared, _ in names if header and key != declared)


def parameter_model(annotation: Any, source: str, *, convert_underscores: bool = True) -> ParameterModel | None:
    """The ParameterModel of a model parameter (``Model`` or ``Model | None``), or None for any other type.

    Args:
        annotation: The parameter's annotation.
        source: Where its fields are read: ``"query"``, ``"header"``, ``"cookie"`` or ``"form"``.
        convert_underscores: For headers: read ``save_data`` from ``save-data`` (the marker's setting).
    """
    bare, _ = strip_annotated(annotation)
    candidates = non_none_members(bare)
    if len(candidates) > 1 and source == "form":
        return _form_union(annotation, candidates)
    if len(candidates) != 1:
        return None
    model = strip_annotated(candidates[0])[0]
    optional = union_members(bare) is not None and candidates[0] is not bare
    if not isinstance(model, type):
        return None
    header = source == "header"
    members: tuple[ModelMember, ...]
    extra: ExtraPolicy
    if hasattr(model, "__pydantic_fields__"):  # a pydantic model or pydantic dataclass
        members, extra = _pydantic_members(model, header=header, convert_underscores=convert_underscores)
    elif issubclass(model, msgspec.Struct):
        members = _struct_members(model, header=header, convert_underscores=convert_underscores)
        extra = "forbid" if model.__struct_config__.forbid_unknown_fields else "ignore"
    elif dataclasses.is_dataclass(model):
        members = _dataclass_members(model, header=header, convert_underscores=convert_underscores)
        extra = "ignore"
    elif typing.is_typeddict(model):
        members = _typeddict_members(model, header=header, convert_underscores=convert_underscores)
        extra = "ignore"
    else:
        return None
    # Validators in the parameter's own metadata (``Annotated[Model, BeforeValidator(...), Form()]``) apply too.
    metadata = strip_annotated(annotation)[1]
    validated = typing.Annotated[model, *metadata] if metadata and involves_pydantic(model) else None
    return ParameterModel(model, members, source=source, optional=optional, extra=extra, validated=validated)


def _form_union(annotation: Any, candidates: list[Any]) -> FormUnion | None:
    """The FormUnion of a form parameter typed as a union of pydantic models, or None for another union."""
    base_model = getattr(sys.modules.get("pydantic"), "BaseModel", None)
    models = [strip_annotated(candidate)[0] for candidate in candidates]
    if base_model is None or not all(isinstance(model, type) and issubclass(model, base_model) for model in models):
        return None
    branches: list[ParameterModel] = []
    for model in models:
        members, extra = _pydantic_members(model, header=False, convert_underscores=False)
        branches.append(ParameterModel(model, members, source="form", optional=False, extra=extra))
    optional = len(candidates) != len(union_members(strip_annotated(annotation)[0]) or ())
    return FormUnion(annotation, tuple(branches), optional=optional)


def _pydantic_members(
    model: type, *, header: bool, convert_underscores: bool
) -> tuple[tuple[ModelMember, ...], ExtraPolicy]:
    import pydantic

    config: Any = getattr(model, "model_config", {})
    by_alias = config.get("validate_by_alias", True) is not False
    by_name = config.get("validate_by_name", config.get("populate_by_name", False))
    members: list[ModelMember] = []
    for name, info in getattr(model, "model_fields", {}).items():
        validation_alias = info.validation_alias
        choices: list[str] = []
        if isinstance(validation_alias, pydantic.AliasChoices) and all(
            isinstance(choice, str) for choice in validation_alias.choices
        ):
            choices = [str(choice) for choice in validation_alias.choices]
        alias = validation_alias if isinstance(validation_alias, str) else (info.alias or name)
        names: list[tuple[str, str, str]]
        if not by_alias:
            names = [_names(name, name, header=header, convert_underscores=convert_underscores)]
        else:
            if choices:
                # Explicit choices are literal names, underscores included.
                names = [(choice, choice, choice.lower() if header else choice) for choice in choices]
            else:
                names = [_names(alias, name, header=header, convert_underscores=convert_underscores)]
            if by_name and name not in [key for key, _, _ in names]:
                names.append(_names(name, name, header=header, convert_underscores=convert_underscores))
        annotation = info.annotation
        if info.metadata:
            annotation = typing.Annotated[annotation, *info.metadata]
        required = info.is_required()
        has_default = not required and info.default_factory is None
        extra_schema = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else None
        # A ``Json[...]`` field reads one string whatever it decodes to, as in FastAPI.
        json_field = any(type(item) is pydantic.Json for item in info.metadata)
        members.append(
            ModelMember(
                name=name,
                names=tuple(names),
                ignored=_ignored(tuple(names), header),
                annotation=annotation,
                required=required,
                default=info.default if has_default else MISSING,
                is_sequence=_is_sequence(info.annotation) and not json_field,
                takes_bools=False,  # pydantic reads its own boolean spellings
                title=info.title,
                description=info.description,
                deprecated=bool(info.deprecated),
                examples=list(info.examples) if info.examples is not None else None,
                json_schema_extra=dict(extra_schema) if extra_schema else None,
                pydantic_schema=True,
            )
        )
    policy = config.get("extra")
    extra: ExtraPolicy = "allow" if policy == "allow" else "forbid" if policy == "forbid" else "ignore"
    return tuple(members), extra


def _plain_member(
    name: str,
    key: str,
    annotation: Any,
    default: Any,
    *,
    header: bool,
    convert_underscores: bool,
) -> ModelMember:
    names = (_names(key, name, header=header, convert_underscores=convert_underscores),)
    return ModelMember(
        name=name,
        names=names,
        ignored=_ignored(names, header),
        annotation=annotation,
        required=default is _REQUIRED,
        default=MISSING if default is _REQUIRED or default is _FACTORY else default,
        is_sequence=_is_sequence(annotation),
        takes_bools=_takes_bools(annotation),
    )


def _struct_members(model: type, *, header: bool, convert_underscores: bool) -> tuple[ModelMember, ...]:
    members: list[ModelMember] = []
    for info in msgspec.structs.fields(model):
        if info.default is not msgspec.NODEFAULT:
            default = info.default
        elif info.default_factory is not msgspec.NODEFAULT:
            default = _FACTORY
        else:
            default = _REQUIRED
        members.append(
            _plain_member(
                info.name, info.encode_name, info.type, default, header=header, convert_underscores=convert_underscores
            )
        )
    return tuple(members)


def _dataclass_members(model: type, *, header: bool, convert_underscores: bool) -> tuple[ModelMember, ...]:
    hints = typing.get_type_hints(model, include_extras=True)
    members: list[ModelMember] = []
    for info in dataclasses.fields(model):
        if not info.init:
            continue
        if info.default is not dataclasses.MISSING:
            default = info.default
        elif info.default_factory is not dataclasses.MISSING:
            default = _FACTORY
        else:
            default = _REQUIRED
        members.append(
            _plain_member(
                info.name,
                info.name,
                hints.get(info.name, Any),
                default,
                header=header,
                convert_underscores=convert_underscores,
            )
        )
    return tuple(members)


def _typeddict_members(model: type, *, header: bool, convert_underscores: bool) -> tuple[ModelMember, ...]:
    hints = typing.get_type_hints(model, include_extras=True)
    required: frozenset[str] = getattr(model, "__required_keys__", frozenset(hints))
    return tuple(
        _plain_member(
            name,
            name,
            annotation,
            _REQUIRED if name in required else _FACTORY,
            header=header,
            convert_underscores=convert_underscores,
        )
        for name, annotation in hints.items()
    )
