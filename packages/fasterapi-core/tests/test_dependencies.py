from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import anyio
import msgspec
import pytest

from fasterapi_core import (
    APIRouter,
    BackgroundTasks,
    Body,
    Depends,
    Faster,
    Header,
    HTTPException,
    JSONResponse,
    Query,
    Request,
    Response,
)
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.types import Message
from fasterapi_testing import TestClient


class Service:
    """A class dependency: its constructor parameters are resolved like an endpoint's."""

    def __init__(self, limit: int = 10, name: str = "svc") -> None:
        self.limit = limit
        self.name = name


class Multiplier:
    """A callable instance used as a dependency."""

    def __init__(self, factor: int) -> None:
        self.factor = factor

    def __call__(self, value: int = 1) -> int:
        return value * self.factor


class AsyncChecker:
    async def __call__(self, token: Annotated[str | None, Header()] = None) -> bool:
        return token == "valid"


def common_parameters(q: str | None = None, skip: int = 0, limit: int = 100) -> dict[str, Any]:
    return {"q": q, "skip": skip, "limit": limit}


CommonsDep = Annotated[dict[str, Any], Depends(common_parameters)]


def test_function_dependency_with_query_parameters() -> None:
    app = Faster()

    @app.get("/items")
    async def items(commons: CommonsDep) -> dict[str, Any]:
        return commons

    @app.get("/users")
    async def users(commons: dict[str, Any] = Depends(common_parameters)) -> dict[str, Any]:
        return commons

    client = TestClient(app)

    assert client.get("/items?q=a&skip=5").json() == {"q": "a", "skip": 5, "limit": 100}
    assert client.get("/users?limit=3").json() == {"q": None, "skip": 0, "limit": 3}


calls: list[str] = []


async def counted() -> int:
    calls.append("call")
    return len(calls)


def test_dependency_is_cached_per_request_unless_use_cache_is_false() -> None:
    calls.clear()

    def sub(value: int = Depends(counted)) -> int:
        return value

    app = Faster()

    @app.get("/cached")
    async def cached(a: int = Depends(counted), b: int = Depends(counted), c: int = Depends(sub)) -> list[int]:
        return [a, b, c]

    @app.get("/uncached")
    async def uncached(
        a: int = Depends(counted), b: Annotated[int, Depends(counted, use_cache=False)] = 0
    ) -> list[int]:
        return [a, b]

    client = TestClient(app)

    assert client.get("/cached").json() == [1, 1, 1]
    assert calls == ["call"]
    calls.clear()
    assert client.get("/uncached").json() == [1, 2]
    calls.clear()
    # A new request gets a fresh cache.
    assert client.get("/cached").json() == [1, 1, 1]


def query_extractor(q: str | None = None) -> str | None:
    return q


def query_or_last(
    q: Annotated[str | None, Depends(query_extractor)], last_query: Annotated[str | None, Query()] = None
) -> str | None:
    return q or last_query


def test_sub_dependencies_chain() -> None:
    app = Faster()

    @app.get("/items")
    async def items(value: Annotated[str | None, Depends(query_or_last)]) -> dict[str, str | None]:
        return {"value": value}

    client = TestClient(app)

    assert client.get("/items?q=direct").json() == {"value": "direct"}
    assert client.get("/items?last_query=fallback").json() == {"value": "fallback"}
    assert client.get("/items").json() == {"value": None}


def test_class_dependencies_with_and_without_explicit_callable() -> None:
    app = Faster()

    @app.get("/annotated")
    async def annotated(service: Annotated[Service, Depends()]) -> dict[str, Any]:
        return {"limit": service.limit, "name": service.name}

    @app.get("/default")
    async def default(service: Service = Depends()) -> int:
        return service.limit

    @app.get("/explicit")
    async def explicit(service: Any = Depends(Service)) -> str:
        return str(service.name)

    client = TestClient(app)

    assert client.get("/annotated?limit=3&name=x").json() == {"limit": 3, "name": "x"}
    assert client.get("/default").json() == 10
    assert client.get("/explicit?name=given").json() == "given"
    assert client.get("/default?limit=abc").status_code == 422


def test_callable_instances_sync_and_async() -> None:
    app = Faster()

    @app.get("/multiply")
    async def multiply(
        doubled: int = Depends(Multiplier(2)),
        tripled: int = Depends(Multiplier(3)),
        allowed: bool = Depends(AsyncChecker()),
    ) -> dict[str, Any]:
        return {"doubled": doubled, "tripled": tripled, "allowed": allowed}

    response = TestClient(app).get("/multiply?value=5", headers={"token": "valid"})

    assert response.json() == {"doubled": 10, "tripled": 15, "allowed": True}


def test_sync_dependencies_run_in_a_worker_thread() -> None:
    import threading

    main_thread = threading.get_ident()

    def sync_dependency() -> bool:
        return threading.get_ident() != main_thread

    async def async_dependency() -> bool:
        return True

    app = Faster()

    @app.get("/threads")
    async def threads(in_worker: bool = Depends(sync_dependency), ran: bool = Depends(async_dependency)) -> bool:
        return in_worker and ran

    assert TestClient(app).get("/threads").json() is True


def test_dependency_receives_request_path_header_and_body() -> None:
    async def context(
        request: Request,
        item_id: int,
        x_tenant: Annotated[str, Header()],
        note: Annotated[str, Body(embed=True)],
    ) -> dict[str, Any]:
        return {"method": request.method, "item_id": item_id, "tenant": x_tenant, "note": note}

    app = Faster()

    @app.put("/items/{item_id}")
    async def update(item_id: int, info: dict[str, Any] = Depends(context)) -> dict[str, Any]:
        return info

    response = TestClient(app).put("/items/4", headers={"x-tenant": "acme"}, json={"note": "hi"})

    assert response.json() == {"method": "PUT", "item_id": 4, "tenant": "acme", "note": "hi"}


def test_errors_of_dependencies_and_endpoint_are_collected_together() -> None:
    calls: list[str] = []

    def paging(page: int, size: Annotated[int, Query(le=50)] = 10) -> tuple[int, int]:
        calls.append("paging")
        return page, size

    app = Faster()

    @app.get("/list")
    async def listing(p: tuple[int, int] = Depends(paging), sort: Annotated[str, Query()] = ...) -> Any:  # type: ignore[assignment]
        return p

    response = TestClient(app).get("/list?size=99")

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [
        ["query", "page"],
        ["query", "size"],
        ["query", "sort"],
    ]
    assert calls == []


def test_dependency_raising_http_exception_stops_the_request() -> None:
    called: list[str] = []

    async def require_token(x_token: Annotated[str | None, Header()] = None) -> str:
        if x_token != "secret":
            raise HTTPException(401, "Invalid token", headers={"WWW-Authenticate": "Token"})
        return x_token

    app = Faster()

    @app.get("/private")
    async def private(token: str = Depends(require_token)) -> str:
        called.append(token)
        return "ok"

    client = TestClient(app)
    denied = client.get("/private")

    assert denied.status_code == 401
    assert denied.headers["www-authenticate"] == "Token"
    assert called == []
    assert client.get("/private", headers={"x-token": "secret"}).json() == "ok"


def test_route_router_and_app_dependencies_run_in_order_and_values_are_dropped() -> None:
    order: list[str] = []

    def make(name: str) -> Any:
        def dependency() -> str:
            order.append(name)
            return name

        dependency.__name__ = name
        return dependency

    router = APIRouter(dependencies=[Depends(make("router"))])

    @router.get("/x", dependencies=[Depends(make("route"))])
    async def endpoint(value: str = Depends(make("parameter"))) -> str:
        return value

    app = Faster(dependencies=[Depends(make("app"))])
    app.include_router(router, dependencies=[Depends(make("include"))])

    assert TestClient(app).get("/x").json() == "parameter"
    assert order == ["app", "include", "router", "route", "parameter"]


def test_dependency_overrides_set_after_registration_replace_nested_dependencies_until_cleared() -> None:
    def get_settings() -> dict[str, str]:
        return {"env": "prod"}

    def get_db(settings: dict[str, str] = Depends(get_settings)) -> str:
        return f"db-{settings['env']}"

    app = Faster()

    @app.get("/db")
    async def read(db: str = Depends(get_db)) -> str:
        return db

    client = TestClient(app)
    assert client.get("/db").json() == "db-prod"

    app.dependency_overrides[get_settings] = lambda: {"env": "test"}
    assert client.get("/db").json() == "db-test"

    async def fake_db(q: str = "memory") -> str:
        return f"fake-{q}"

    app.dependency_overrides[get_db] = fake_db
    assert client.get("/db?q=sqlite").json() == "fake-sqlite"

    app.dependency_overrides = {}
    assert client.get("/db").json() == "db-prod"

    app.dependency_overrides[get_db] = lambda: "fake"
    assert client.get("/db").json() == "fake"
    app.dependency_overrides.clear()
    assert client.get("/db").json() == "db-prod"


def test_dependency_overrides_for_route_level_dependencies() -> None:
    def guard() -> None:
        raise HTTPException(403)

    app = Faster()

    @app.get("/guarded", dependencies=[Depends(guard)])
    async def guarded() -> str:
        return "in"

    client = TestClient(app)
    assert client.get("/guarded").status_code == 403

    app.dependency_overrides[guard] = lambda: None
    assert client.get("/guarded").json() == "in"


def drive(app: Faster, path: str, events: list[str]) -> None:
    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            events.append(f"status {message['status']}")
        elif message["type"] == "http.response.body" and not message.get("more_body"):
            events.append("response sent")

    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}

    async def main() -> None:
        with anyio.fail_after(5):
            await app(scope, receive, send)

    anyio.run(main)


def test_generator_dependencies_tear_down_after_the_response_and_background_tasks() -> None:
    events: list[str] = []

    async def async_resource() -> AsyncIterator[str]:
        events.append("async setup")
        yield "async"
        events.append("async teardown")

    def sync_resource() -> Iterator[str]:
        events.append("sync setup")
        yield "sync"
        events.append("sync teardown")

    app = Faster()

    @app.get("/resources")
    async def resources(
        tasks: BackgroundTasks,
        first: str = Depends(async_resource),
        second: str = Depends(sync_resource),
    ) -> list[str]:
        tasks.add_task(events.append, "background task")
        events.append("endpoint")
        return [first, second]

    drive(app, "/resources", events)

    assert events == [
        "async setup",
        "sync setup",
        "endpoint",
        "status 200",
        "response sent",
        "background task",
        "sync teardown",
        "async teardown",
    ]


class Session:
    def __init__(self) -> None:
        self.open = True


def test_generator_dependency_value_is_usable_in_the_endpoint() -> None:
    sessions: list[Session] = []

    async def get_session() -> AsyncIterator[Session]:
        session = Session()
        sessions.append(session)
        try:
            yield session
        finally:
            session.open = False

    app = Faster()

    @app.get("/session")
    async def use(session: Session = Depends(get_session)) -> bool:
        return session.open

    assert TestClient(app).get("/session").json() is True
    assert sessions[0].open is False


@pytest.mark.parametrize("sync", [False, True])
def test_endpoint_exception_is_thrown_into_generator_dependencies(sync: bool) -> None:
    events: list[str] = []

    async def async_dependency() -> AsyncIterator[None]:
        try:
            yield
        except HTTPException as exc:
            events.append(f"async caught {exc.status_code}")
            raise
        finally:
            events.append("async finally")

    def sync_dependency() -> Iterator[None]:
        try:
            yield
        except HTTPException as exc:
            events.append(f"sync caught {exc.status_code}")
            raise

    dependency = sync_dependency if sync else async_dependency
    app = Faster()

    @app.get("/fail", dependencies=[Depends(dependency)])
    async def fail() -> None:
        raise HTTPException(409, "conflict")

    drive(app, "/fail", events)

    # Nothing was sent when the endpoint raised: the dependencies see the exception before the error response.
    prefix = "sync" if sync else "async"
    assert events[0] == f"{prefix} caught 409"
    assert events[-2:] == ["status 409", "response sent"]


def test_unhandled_endpoint_error_reaches_dependency_and_gives_500(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[str] = []

    async def transaction() -> AsyncIterator[None]:
        try:
            yield
        except ValueError as exc:
            seen.append(f"rollback after {exc}")
            raise

    app = Faster()

    @app.post("/write", dependencies=[Depends(transaction)])
    async def write() -> None:
        raise ValueError("constraint violated")

    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        response = TestClient(app, raise_server_exceptions=False).post("/write")

    assert response.status_code == 500
    assert seen == ["rollback after constraint violated"]


def test_validation_error_is_thrown_into_dependencies_already_entered() -> None:
    seen: list[str] = []

    async def resource() -> AsyncIterator[None]:
        try:
            yield
        except Exception as exc:
            seen.append(type(exc).__name__)
            raise

    app = Faster()

    @app.get("/v", dependencies=[Depends(resource)])
    async def endpoint(n: int) -> int:
        return n

    response = TestClient(app).get("/v?n=abc")

    assert response.status_code == 422
    assert seen == ["RequestValidationError"]


def test_failing_teardown_goes_to_the_server_and_a_replacing_exception_is_answered() -> None:
    async def broken_teardown() -> AsyncIterator[None]:
        yield
        raise RuntimeError("teardown exploded")

    async def catches_and_raises_other() -> AsyncIterator[None]:
        try:
            yield
        except HTTPException:
            raise RuntimeError("replaced during teardown") from None

    app = Faster()

    @app.get("/ok", dependencies=[Depends(broken_teardown)])
    async def ok() -> str:
        return "ok"

    @app.get("/err", dependencies=[Depends(catches_and_raises_other)])
    async def err() -> None:
        raise HTTPException(400, "bad")

    client = TestClient(app, raise_server_exceptions=False)
    ok_response = client.get("/ok")
    err_response = client.get("/err")

    assert ok_response.status_code == 200
    assert ok_response.json() == "ok"
    # The dependency replaced the HTTPException before anything was sent: its RuntimeError is answered (FastAPI too).
    assert err_response.status_code == 500
    # Both errors go on to the server, which logs them (as Starlette's ServerErrorMiddleware lets them through).
    with pytest.raises(RuntimeError, match="teardown exploded"):
        TestClient(app).get("/ok")
    with pytest.raises(RuntimeError, match="replaced during teardown"):
        TestClient(app).get("/err")


def test_generator_dependency_on_a_returned_response_and_with_response_parameter() -> None:
    events: list[str] = []

    async def resource() -> AsyncIterator[str]:
        yield "r"
        events.append("teardown")

    app = Faster()

    @app.get("/direct")
    async def direct(value: str = Depends(resource)) -> Response:
        return JSONResponse({"value": value})

    @app.get("/param")
    async def param(response: Response, value: str = Depends(resource)) -> str:
        response.headers["x-value"] = value
        return value

    client = TestClient(app)

    assert client.get("/direct").json() == {"value": "r"}
    param_response = client.get("/param")
    assert param_response.headers["x-value"] == "r"
    assert events == ["teardown", "teardown"]


def test_dependency_cycle_and_missing_callable_are_refused_at_registration() -> None:
    app = Faster()

    def first(value: Any = Depends(lambda: None)) -> Any:
        return value

    def cyclic(value: Any = None) -> Any:
        return value

    cyclic.__defaults__ = (Depends(cyclic),)

    with pytest.raises(FasterAPIError, match="cycle"):

        @app.get("/cycle")
        async def cycle(value: Any = Depends(cyclic)) -> Any:
            return value

    with pytest.raises(FasterAPIError, match="needs a callable"):

        @app.get("/missing")
        async def missing(value=Depends()) -> Any:  # type: ignore[no-untyped-def]  # noqa: ANN001
            return value

    @app.get("/fine")
    async def fine(value: Any = Depends(first)) -> Any:
        return value

    assert TestClient(app).get("/fine").json() is None


def test_depends_repr() -> None:
    assert repr(Depends(common_parameters)) == "Depends(common_parameters)"
    assert repr(Depends(common_parameters, use_cache=False)) == "Depends(common_parameters, use_cache=False)"
    assert repr(Depends()) == "Depends(...)"
    assert Depends(scopes=["read"]).scopes == ("read",)


class FakeSecurityScopes:
    """Stands in for fasterapi-security's SecurityScopes, which core recognises by a marker attribute."""

    __fasterapi_security_scopes__ = True

    def __init__(self, scopes: list[str]) -> None:
        self.scopes = scopes


def test_security_scopes_are_injected_with_the_accumulated_scopes() -> None:
    def check(security_scopes: FakeSecurityScopes) -> list[str]:
        return security_scopes.scopes

    def needs_items(scopes: list[str] = Depends(check, scopes=["items:read"])) -> list[str]:
        return scopes

    app = Faster()

    @app.get("/items")
    async def items(scopes: list[str] = Depends(needs_items, scopes=["me"])) -> list[str]:
        return scopes

    assert TestClient(app).get("/items").json() == ["me", "items:read"]


def test_partial_and_var_arguments_and_uninspectable_callables() -> None:
    import functools

    def scaled(factor: int, value: int = 1) -> int:
        return factor * value

    app = Faster()

    @app.get("/partial")
    async def partial(result: int = Depends(functools.partial(scaled, 10))) -> int:
        return result

    @app.get("/varargs")
    async def varargs(q: int = 0, *args: Any, **kwargs: Any) -> int:
        return q

    client = TestClient(app)

    assert client.get("/partial?value=3").json() == 30
    assert client.get("/varargs?q=4").json() == 4
    with pytest.raises(FasterAPIError, match="signature"):

        @app.get("/builtin")
        async def builtin(value: Any = Depends(max)) -> Any:
            return value


def test_override_plans_are_reused_and_sync_generators_can_suppress() -> None:
    events: list[str] = []

    def original() -> str:
        return "original"

    def suppressing() -> Iterator[str]:
        try:
            yield "override"
        except RuntimeError:
            events.append("suppressed")

    app = Faster()

    @app.get("/value")
    async def value(current: str = Depends(original), fail: bool = False) -> str:
        if fail:
            raise RuntimeError("handled by the dependency")
        return current

    app.dependency_overrides[original] = suppressing
    client = TestClient(app, raise_server_exceptions=False)

    assert client.get("/value").json() == "override"
    assert client.get("/value").json() == "override"
    assert client.get("/value?fail=1").status_code == 500
    assert events == ["suppressed"]


def test_msgspec_meta_constraints_combine_with_markers() -> None:
    app = Faster()

    @app.get("/meta")
    async def meta(
        a: Annotated[int, msgspec.Meta(ge=1), Query()] = 1,
        b: Annotated[int, msgspec.Meta(le=5)] = Query(5),
    ) -> list[int]:
        return [a, b]

    client = TestClient(app)

    assert client.get("/meta?a=2&b=3").json() == [2, 3]
    assert [error["loc"] for error in client.get("/meta?a=0&b=6").json()["detail"]] == [["query", "a"], ["query", "b"]]


def test_optional_body_on_the_general_path() -> None:
    app = Faster()

    @app.post("/maybe")
    async def maybe(request: Request, payload: dict[str, int] | None = None) -> Any:
        return {"payload": payload, "method": request.method}

    client = TestClient(app)

    assert client.post("/maybe").json() == {"payload": None, "method": "POST"}
    assert client.post("/maybe", json={"a": 1}).json() == {"payload": {"a": 1}, "method": "POST"}


def test_generator_override_of_a_plain_dependency_is_torn_down_after_the_response() -> None:
    events: list[str] = []

    def get_db() -> str:
        return "production"

    async def test_db() -> AsyncIterator[str]:
        events.append("open test db")
        yield "test"
        events.append("close test db")

    app = Faster()

    @app.get("/db")
    async def read(db: str = Depends(get_db)) -> str:
        events.append(f"endpoint uses {db}")
        return db

    app.dependency_overrides[get_db] = test_db
    drive(app, "/db", events)

    assert events == ["open test db", "endpoint uses test", "status 200", "response sent", "close test db"]


def test_string_annotations_resolve_against_the_registering_function() -> None:
    # This module uses `from __future__ import annotations`: every annotation below is a string naming
    # definitions local to this test, which module globals cannot resolve.
    class Settings(msgspec.Struct):
        name: str

    def get_settings() -> Settings:
        return Settings(name="local")

    app = Faster()

    @app.get("/settings")
    async def read(settings: Annotated[Settings, Depends(get_settings)]) -> Settings:
        return settings

    assert TestClient(app).get("/settings").json() == {"name": "local"}


def test_a_dependency_scope_is_function_or_request() -> None:
    from fasterapi_core import Depends

    assert Depends(scope="function").scope == "function"
    assert Depends().scope is None
    with pytest.raises(ValueError, match="'function' or 'request'"):
        Depends(scope="session")  # type: ignore[arg-type]


def test_function_scoped_dependencies_exit_when_the_endpoint_returns() -> None:

    from fasterapi_core import Depends, Faster
    from fasterapi_testing import TestClient

    events: list[str] = []

    async def connection() -> AsyncIterator[str]:
        events.append("open")
        try:
            yield "connection"
        except ValueError:
            events.append("saw ValueError")
            raise
        finally:
            events.append("close")

    app = Faster()

    @app.get("/ok")
    async def ok(value: str = Depends(connection, scope="function")) -> str:
        events.append("endpoint")
        return value

    @app.get("/fail")
    async def fail(value: str = Depends(connection, scope="function")) -> str:
        raise ValueError("broken")

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/ok").json() == "connection"
    assert events == ["open", "endpoint", "close"]
    events.clear()
    assert client.get("/fail").status_code == 500
    assert events == ["open", "saw ValueError", "close"]


def test_a_request_scoped_generator_cannot_depend_on_a_function_scoped_one() -> None:

    from fasterapi_core import Depends, Faster
    from fasterapi_core.dependencies import DependencyScopeError
    from fasterapi_core.exceptions import FasterAPIError

    def short() -> Iterator[int]:
        yield 1

    def long(value: int = Depends(short, scope="function")) -> Iterator[int]:
        yield value

    def plain(value: int = Depends(short, scope="function")) -> int:
        return value

    app = Faster()

    @app.get("/plain")
    def fine(value: int = Depends(plain)) -> int:
        return value

    with pytest.raises(DependencyScopeError, match='"long" has a scope of "request"'):

        @app.get("/long")
        def refused(value: int = Depends(long)) -> int:
            return value

    assert issubclass(DependencyScopeError, FasterAPIError)
