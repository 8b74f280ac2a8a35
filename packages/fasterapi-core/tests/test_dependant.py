"""FastAPI's route introspection (``route.dependant``, ``body_field``...) computed from plans, and re-planning."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

import msgspec
import pytest

from fasterapi_core import (
    APIRoute,
    Body,
    Cookie,
    Depends,
    Faster,
    FasterRouter,
    Form,
    Header,
    Path,
    Query,
    Request,
    Response,
)
from fasterapi_core._dependant import (
    flat_body_params,
    get_body_field,
    get_dependant,
    get_flat_dependant,
    get_flat_params,
    get_parameterless_sub_dependant,
    get_typed_signature,
    lenient_issubclass,
)
from fasterapi_core._dependant_models import Dependant, ModelField
from fasterapi_core.params import MISSING, ParamTypes
from fasterapi_testing import TestClient


class Item(msgspec.Struct):
    name: str
    price: float = 0.0


def _route(app: Faster, path: str) -> APIRoute:
    return next(route for route in app.routes if isinstance(route, APIRoute) and route.path == path)


def common(limit: int = 10, x_token: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    return {"limit": limit, "token": x_token}


def audit() -> None:
    return None


def make_app() -> Faster:
    app = Faster()

    @app.put("/items/{item_id:int}", dependencies=[Depends(audit)])
    async def update(
        item_id: Annotated[int, Path(ge=1)],
        item: Item,
        request: Request,
        response: Response,
        q: str = Query("all", alias="search"),
        session: str | None = Cookie(None),
        commons: dict[str, Any] = Depends(common, use_cache=False),
    ) -> Item:
        return item

    @app.post("/pair")
    async def pair(first: Item, second: Annotated[int, Body()]) -> None:
        return None

    return app


def test_dependant_lists_parameters_by_location_with_fastapi_aliases() -> None:
    dependant = _route(make_app(), "/items/{item_id:int}").dependant
    assert [field.name for field in dependant.path_params] == ["item_id"]
    assert [(field.name, field.alias) for field in dependant.query_params] == [("q", "search")]
    assert [field.name for field in dependant.cookie_params] == ["session"]
    assert [field.name for field in dependant.body_params] == ["item"]
    assert dependant.request_param_name == "request"
    assert dependant.response_param_name == "response"
    assert dependant.path == "/items/{item_id}"
    path_field = dependant.path_params[0]
    assert isinstance(path_field, ModelField)
    assert path_field.required
    assert path_field.default is MISSING
    assert path_field.field_info.in_ is ParamTypes.path
    assert path_field.field_info.ge == 1
    assert path_field.type_ is int
    query_field = dependant.query_params[0]
    assert not query_field.required
    assert query_field.default == "all"
    assert query_field.field_info.in_ is ParamTypes.query


def test_dependencies_come_route_level_first_with_their_own_parameters() -> None:
    dependant = _route(make_app(), "/items/{item_id:int}").dependant
    audit_dependant, commons_dependant = dependant.dependencies
    assert (audit_dependant.name, audit_dependant.call) == (None, audit)
    assert (commons_dependant.name, commons_dependant.call, commons_dependant.use_cache) == ("commons", common, False)
    assert [field.name for field in commons_dependant.query_params] == ["limit"]
    assert [(field.name, field.alias) for field in commons_dependant.header_params] == [("x_token", "x-token")]
    flat = get_flat_params(dependant)
    assert [field.alias for field in flat] == ["item_id", "search", "limit", "x-token", "session"]
    assert get_flat_dependant(dependant).header_params[0].alias == "x-token"


def test_validate_runs_the_compiled_validator() -> None:
    field = _route(make_app(), "/items/{item_id:int}").dependant.path_params[0]
    assert field.validate("3") == (3, [])
    value, errors = field.validate("0", loc=("path", "item_id"))
    assert value is None
    assert errors[0]["loc"] == ("path", "item_id")
    assert errors[0]["type"] == "greater_than_equal"


def test_body_field_is_the_single_body_or_an_object_of_the_embedded_ones() -> None:
    app = make_app()
    single = _route(app, "/items/{item_id:int}")
    assert single.body_field is not None
    assert single.body_field.name == "item"
    assert single._embed_body_fields is False
    pair = _route(app, "/pair")
    assert pair._embed_body_fields is True
    body = pair.body_field
    assert body is not None
    assert (body.name, body.alias) == ("body", "body")
    model = body.field_info.annotation
    assert model.__name__ == "Body_" + pair.unique_id
    assert msgspec.convert({"first": {"name": "a"}, "second": 2}, model).second == 2
    assert _route(app, "/pair").response_field is None
    assert single.response_field is not None
    assert single.response_field.annotation is Item


def test_path_format_and_unique_id_follow_fastapi() -> None:
    route = _route(make_app(), "/items/{item_id:int}")
    assert route.path_format == "/items/{item_id}"
    assert route.unique_id == "update_items__item_id__put"
    assert APIRoute("/x", audit, operation_id="custom").unique_id == "custom"


def test_appending_to_the_dependant_replans_the_route() -> None:
    app = Faster()
    seen: list[int] = []

    async def remember(page: int = 1) -> None:
        seen.append(page)

    @app.get("/things")
    async def things() -> dict[str, bool]:
        return {"ok": True}

    route = _route(app, "/things")
    route.dependant.dependencies.append(
        get_parameterless_sub_dependant(depends=Depends(remember), path=route.path_format)
    )
    with TestClient(app) as client:
        assert client.get("/things", params={"page": "3"}).json() == {"ok": True}
        assert seen == [3]
        assert client.get("/things", params={"page": "x"}).status_code == 422
    assert [field.name for field in route.dependant.dependencies[0].query_params] == ["page"]
    assert route.dependencies == []  # FastAPI leaves the declared list alone too
    route.dependant.dependencies.pop()
    with TestClient(app) as client:
        assert client.get("/things", params={"page": "x"}).status_code == 200
    assert seen == [3]


def test_a_new_dependant_replaces_the_route_dependencies() -> None:
    app = Faster()
    calls: list[str] = []

    def first() -> None:
        calls.append("first")

    def second() -> None:
        calls.append("second")

    @app.get("/x", dependencies=[Depends(first)])
    def endpoint(value: int = 0) -> int:
        return value

    route = _route(app, "/x")
    replacement = get_dependant(path="/x", call=endpoint)
    replacement.dependencies.insert(0, Dependant(call=second))
    route.dependant = replacement
    with TestClient(app) as client:
        assert client.get("/x", params={"value": 4}).json() == 4
    assert calls == ["second"]


def test_assigning_the_route_app_serves_through_it_unless_it_is_the_routes_own() -> None:
    from fasterapi_core.asgi_routes import request_response

    app = Faster()

    @app.get("/hello")
    async def hello() -> str:
        return "hi"

    route = _route(app, "/hello")
    handler = route.get_route_handler()
    own = request_response(handler)
    own.endpoint_function = handler  # type: ignore[attr-defined]
    route.app = own
    fast_handler = route.handler
    inner = route.app

    async def shouting(scope: Any, receive: Any, send: Any) -> None:
        async def send_upper(message: Any) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": message["body"].upper()}
            await send(message)

        await inner(scope, receive, send_upper)

    route.app = shouting
    assert route.app is shouting
    with TestClient(app) as client:
        assert client.get("/hello").text == '"HI"'
    assert route.handler is not fast_handler


def test_a_wrapped_router_lifespan_context_runs_around_the_original() -> None:
    events: list[str] = []

    @contextlib.asynccontextmanager
    async def router_lifespan(app: Any) -> AsyncIterator[None]:
        events.append("router")
        yield

    app = Faster()
    router = FasterRouter(lifespan=router_lifespan)
    app.include_router(router)
    original = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def wrapper(app: Any) -> AsyncIterator[None]:
        events.append("wrapper")
        async with original(app) as state:
            yield state

    app.router.lifespan_context = wrapper
    with TestClient(app):
        pass
    assert events == ["wrapper", "router"]


def test_helpers_for_extensions() -> None:
    assert lenient_issubclass(Item, msgspec.Struct)
    assert not lenient_issubclass(list[int], list)
    assert not lenient_issubclass(3, int)

    def endpoint(a: int, b: Item) -> None: ...

    signature = get_typed_signature(endpoint)
    assert signature.parameters["a"].annotation is int
    assert signature.parameters["b"].annotation is Item
    dependant = get_dependant(path="/things/{a}", call=endpoint)
    assert [field.name for field in dependant.path_params] == ["a"]
    assert [field.name for field in flat_body_params(dependant)] == ["b"]
    assert get_body_field(body_params=[], name="x", embed_body_fields=False) is None


def test_a_dependency_without_a_callable_is_refused() -> None:
    route = _route(make_app(), "/pair")
    with pytest.raises(TypeError, match="needs a callable"):
        route.dependant.dependencies.append(Dependant())


def test_matches_puts_the_route_in_the_child_scope() -> None:
    from fasterapi_core.asgi_routes import Match

    route = _route(make_app(), "/items/{item_id:int}")
    match, child = route.matches({"type": "http", "path": "/items/3", "method": "PUT"})
    assert match is Match.FULL
    assert child["route"] is route
    assert child["path_params"] == {"item_id": 3}
    match, child = route.matches({"type": "http", "path": "/other", "method": "PUT"})
    assert match is Match.NONE
    assert "route" not in child


CLOSED: list[str] = []


async def resource() -> AsyncIterator[str]:
    yield "resource"
    CLOSED.append("resource")


def needs_a_resource(
    page: int, value: Annotated[str, Depends(resource)], user_agent: Annotated[str, Header()] = ""
) -> None:
    return None


def test_solve_dependencies_solves_a_dependant_for_a_request() -> None:
    from fasterapi_core._dependant_solving import solve_dependencies

    CLOSED.clear()
    dependant = get_dependant(path="/", call=needs_a_resource)
    app = Faster()
    outcomes: list[Any] = []

    @app.get("/solve")
    async def solve(request: Request) -> dict[str, Any]:
        async with contextlib.AsyncExitStack() as stack:
            solved = await solve_dependencies(request=request, dependant=dependant, async_exit_stack=stack)
            outcomes.append((solved.values, [error["loc"] for error in solved.errors], list(CLOSED)))
        return {}

    with TestClient(app) as client:
        client.get("/solve", params={"page": "2"}, headers={"user-agent": "probe"})
        client.get("/solve")
    assert outcomes[0] == ({"page": 2, "value": "resource", "user_agent": "probe"}, [], [])
    assert outcomes[1][0] == {}
    assert outcomes[1][1] == [("query", "page")]
    assert CLOSED == ["resource", "resource"]


def test_a_route_replanned_before_its_router_is_included_is_copied_with_the_change() -> None:
    seen: list[int] = []

    def remember(page: int = 1) -> None:
        seen.append(page)

    router = FasterRouter()

    @router.get("/x")
    def endpoint() -> int:
        return 1

    route = router.routes[0]
    assert isinstance(route, APIRoute)
    route.dependant.dependencies.append(get_parameterless_sub_dependant(depends=Depends(remember), path="/x"))
    app = Faster()
    app.include_router(router, prefix="/p")
    with TestClient(app) as client:
        assert client.get("/p/x", params={"page": "4"}).status_code == 200
    assert seen == [4]


def test_a_websocket_route_has_a_dependant_too() -> None:
    from fasterapi_core import WebSocket

    app = Faster()

    @app.websocket("/ws/{room:str}")
    async def chat(websocket: WebSocket, room: str, token: str = "") -> None: ...

    route = app.routes[-1]
    dependant = route.dependant  # type: ignore[attr-defined]
    assert route.path_format == "/ws/{room}"  # type: ignore[attr-defined]
    assert dependant.websocket_param_name == "websocket"
    assert [field.name for field in dependant.path_params] == ["room"]
    assert [field.name for field in dependant.query_params] == ["token"]


def test_get_body_field_takes_the_older_dependant_form() -> None:
    route = _route(make_app(), "/pair")
    old_form = get_body_field(dependant=route.dependant, name=route.unique_id)
    assert old_form is not None
    assert (old_form.name, old_form.alias) == ("body", "body")
    assert get_body_field(dependant=_route(make_app(), "/items/{item_id:int}").dependant, name="x").name == "item"


def test_callable_kinds_see_through_partials_and_instances() -> None:
    import functools

    from fasterapi_core._dependant_models import is_async_gen_callable, is_coroutine_callable, is_gen_callable

    async def coroutine(value: int) -> int:
        return value

    def generator() -> Any:
        yield 1

    class AsyncGenerator:
        async def __call__(self) -> AsyncIterator[int]:
            yield 1

    assert is_coroutine_callable(functools.partial(coroutine, 1))
    assert not is_coroutine_callable(generator)
    assert is_gen_callable(generator)
    assert is_async_gen_callable(AsyncGenerator())
    assert Dependant(call=AsyncGenerator()).computed_scope == "request"
    assert Dependant(call=coroutine).computed_scope is None


def test_a_new_endpoint_signature_with_a_new_dependant_is_served() -> None:
    import inspect

    class Service:
        def __init__(self) -> None:
            self.name = "service"

    app = Faster()

    @app.get("/who")
    def who(self: Any) -> str:
        return str(self.name)

    route = _route(app, "/who")
    signature = inspect.signature(who)
    who.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[signature.parameters["self"].replace(default=Depends(Service))]
    )
    route.dependant = get_dependant(path=route.path_format, call=who)
    assert [sub.name for sub in route.dependant.dependencies] == ["self"]
    with TestClient(app) as client:
        assert client.get("/who").json() == "service"


def test_every_change_of_the_tracked_list_is_reported() -> None:
    from fasterapi_core._dependant_models import TrackedList

    changes: list[list[Any]] = []
    items = TrackedList([3, 1], lambda: changes.append(list(items)))
    items.append(2)
    items.extend([5])
    items.insert(0, 4)
    items.remove(5)
    items.pop()
    items[0] = 9
    del items[0]
    items += [7]
    items.sort()
    items.reverse()
    items.clear()
    assert changes == [
        [3, 1, 2],
        [3, 1, 2, 5],
        [4, 3, 1, 2, 5],
        [4, 3, 1, 2],
        [4, 3, 1],
        [9, 3, 1],
        [3, 1],
        [3, 1, 7],
        [1, 3, 7],
        [7, 3, 1],
        [],
    ]


def test_typed_annotations_are_evaluated_in_the_module() -> None:
    from fasterapi_core._dependant import get_typed_annotation, get_typed_return_annotation

    def returns_item() -> Item: ...

    def returns_nothing(): ...  # type: ignore[no-untyped-def]

    assert get_typed_return_annotation(returns_item) is Item
    assert get_typed_return_annotation(returns_nothing) is None
    assert get_typed_annotation("None", {}) is None
    unresolved = get_typed_annotation("NotDefinedAnywhere", {})
    assert unresolved.__forward_arg__ == "NotDefinedAnywhere"


class FakeScheme:
    """Stands for a security scheme: core recognises one by ``openapi_security_scheme``."""

    scheme_name = "fake"

    def openapi_security_scheme(self) -> dict[str, str]:
        return {"type": "http"}

    def __call__(self) -> str:
        return "token"


def test_security_requirements_and_scopes() -> None:
    scheme = FakeScheme()
    dependant = Dependant(call=scheme, own_oauth_scopes=["b", "a"], parent_oauth_scopes=["a"])
    assert dependant.oauth_scopes == ["a", "b"]
    assert dependant.cache_key == (scheme, ("a", "b"), "")
    (requirement,) = dependant.security_requirements
    assert requirement.security_scheme is scheme
    assert requirement.scopes == ["a", "b"]
    assert Dependant(call=audit).security_requirements == []


def test_request_params_to_args_validates_by_alias() -> None:
    from fasterapi_core._dependant_solving import request_params_to_args
    from fasterapi_core.datastructures import QueryParams

    dependant = _route(make_app(), "/items/{item_id:int}").dependant
    fields = [*dependant.query_params, *dependant.dependencies[1].query_params]
    assert request_params_to_args(fields, QueryParams("search=x&limit=5")) == ({"q": "x", "limit": 5}, [])
    values, errors = request_params_to_args(dependant.path_params, {})
    assert values == {}
    assert errors[0]["loc"] == ("path", "item_id")
    assert errors[0]["type"] == "missing"


def test_model_field_aliases_and_default_factories() -> None:
    def endpoint(
        tags: Annotated[list[str], Query(default_factory=list, validation_alias="tag", serialization_alias="t")],
    ) -> None: ...

    field = get_dependant(path="/", call=endpoint).query_params[0]
    assert (field.validation_alias, field.serialization_alias) == ("tag", "t")
    assert field.default == []
    assert field.annotation == list[str]
    assert field.config is None
    assert field == field
    assert field != get_dependant(path="/", call=endpoint).query_params[0]
    assert "tags" in repr(field)

    def login(username: Annotated[str, Form()], remember: Annotated[bool, Form()] = False) -> None: ...

    body = get_body_field(dependant=get_dependant(path="/", call=login), name="login")
    assert body is not None
    assert type(body.field_info).__name__ == "Form"
    assert body.required


def test_assigned_body_field_and_custom_unique_ids_are_kept() -> None:
    route = _route(make_app(), "/pair")
    route.body_field = None
    assert route.body_field is None
    custom = APIRoute("/c", audit, generate_unique_id_function=lambda route: f"id-{route.name}")
    assert custom.unique_id == "id-audit"


def test_another_routes_dependant_moves_over_with_its_dependencies() -> None:
    app = Faster()
    calls: list[str] = []

    def mark() -> None:
        calls.append("mark")

    @app.get("/a", dependencies=[Depends(mark)])
    def first() -> int:
        return 1

    @app.get("/b")
    def second() -> int:
        return 2

    source = _route(app, "/a")
    target = _route(app, "/b")
    target.dependant = source.dependant  # a TrackedList already: it now reports to the target
    source.dependant.dependencies.append(Dependant(call=mark, use_cache=False))
    with TestClient(app) as client:
        assert client.get("/b").json() == 2
    assert calls == ["mark", "mark"]


def test_a_replaced_route_app_is_served_with_the_route_settings() -> None:
    app = Faster(max_body_size=10)
    seen: list[Any] = []

    @app.post("/upload")
    async def upload(item: Item) -> None: ...

    route = _route(app, "/upload")

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        seen.append((scope["path_params"], Request(scope).route_settings.max_body_size))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    route.app = recording
    with TestClient(app) as client:
        assert client.post("/upload", content=b"{}").status_code == 204
    assert seen == [({}, 10)]


def test_plain_functions_get_the_kind_the_general_walk_gives() -> None:
    import functools

    from fasterapi_core._callable_kinds import _callable_kind, _general_callable_kind

    async def coroutine() -> int:
        return 1

    async def async_generator() -> AsyncIterator[int]:
        yield 1

    def generator() -> Any:
        yield 1

    def plain() -> int:
        return 1

    @functools.wraps(coroutine)
    def wraps_a_coroutine() -> Any:
        return coroutine()

    # A plain function that says it wraps another (set by hand) is what it wraps, as the walk decides.
    def marked() -> int:
        return 1

    marked.__wrapped__ = async_generator  # type: ignore[attr-defined]
    kinds = {
        coroutine: (True, False, False),
        async_generator: (False, True, False),
        generator: (False, False, True),
        plain: (False, False, False),
        wraps_a_coroutine: (True, False, False),
        marked: (False, True, False),
    }
    for function, kind in kinds.items():
        assert _callable_kind(function) == _general_callable_kind(function) == kind, function
