"""Differential tests of dependencies and endpoints wrapped by ``functools.wraps`` decorators.

What a callable is (coroutine function, generator, async generator, plain function) is read through its
``__wrapped__`` chain, its partials and an instance's ``__call__``, as FastAPI reads it: a sync wrapper around an
async function is awaited, one around a generator is entered as a ``yield`` dependency.
"""

from __future__ import annotations

from typing import Any

import pytest

APP = """
import functools
import inspect

from fastapi import Depends, FastAPI


def sync_wrap(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def async_wrap(func):
    if inspect.isasyncgenfunction(func):

        @functools.wraps(func)
        async def async_gen_wrapper(*args, **kwargs):
            async for item in func(*args, **kwargs):
                yield item

        return async_gen_wrapper

    @functools.wraps(func)
    async def wrapper(*args, **kwargs):
        return await func(*args, **kwargs)

    return wrapper


events = []


async def coroutine_dependency():
    return "coroutine"


def generator_dependency():
    events.append("generator entered")
    yield "generator"
    events.append("generator exited")


async def async_generator_dependency():
    events.append("async generator entered")
    yield "async generator"
    events.append("async generator exited")


class AsyncInstance:
    async def __call__(self):
        return "async instance"


class WrappedCallInstance:
    @sync_wrap
    def __call__(self):
        yield "wrapped __call__ generator"


class Service:
    def __init__(self):
        self.name = "class"


wrapped = {
    "sync-wrapped-coroutine": sync_wrap(coroutine_dependency),
    "sync-wrapped-generator": sync_wrap(generator_dependency),
    "sync-wrapped-async-generator": sync_wrap(async_generator_dependency),
    "async-wrapped-async-generator": async_wrap(async_generator_dependency),
    "partial-of-sync-wrapped-coroutine": functools.partial(sync_wrap(coroutine_dependency)),
    "sync-wrapped-async-instance": sync_wrap(AsyncInstance()),
    "instance-with-wrapped-call": WrappedCallInstance(),
}

app = FastAPI()

for path, dependency in wrapped.items():

    def make(dependency):
        async def endpoint(value=Depends(dependency)):
            return {"value": value, "events": list(events)}

        return endpoint

    app.get(f"/{path}")(make(dependency))


@app.get("/sync-wrapped-class")
async def wrapped_class(service=Depends(sync_wrap(Service))):
    return service.name


@app.get("/sync-wrapped-async-endpoint")
@sync_wrap
async def wrapped_endpoint():
    return "async endpoint"


@app.get("/events")
def read_events():
    value = list(events)
    events.clear()
    return value
"""

PATHS = (
    "sync-wrapped-coroutine",
    "sync-wrapped-generator",
    "sync-wrapped-async-generator",
    "async-wrapped-async-generator",
    "partial-of-sync-wrapped-coroutine",
    "sync-wrapped-async-instance",
    "instance-with-wrapped-call",
    "sync-wrapped-class",
    "sync-wrapped-async-endpoint",
)


@pytest.mark.parametrize("path", PATHS)
def test_wrapped_callables_are_called_as_what_they_wrap(differential: Any, path: str) -> None:
    requests = [("GET", f"/{path}", {}), ("GET", "/events", {})]
    answers = differential.answers(APP, f"wrapped_{path.replace('-', '_')}", requests, ["content-type"])
    assert answers["FasterAPI"] == answers["fastapi"]
    first = answers["fastapi"][0]
    assert first["status"] == 200
    # Nothing answered with a coroutine or generator object in place of the value.
    assert b"object at 0x" not in first["body"]
