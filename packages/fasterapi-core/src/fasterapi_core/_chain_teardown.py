"""The end of a written dependency chain's handler: its ``yield`` dependencies finished, as the general path does.

A request that ends cleanly finishes its ``yield`` dependencies inline (the last entered first); one that fails
after a dependency was entered hands them to the request's exits (``DependencyExits``) so that the failure and a
cancellation are answered and torn down by the general path's code.

PERF: a light chain (see ``_chain_source._is_light``) with exactly one ``yield`` dependency keeps it in
``generators`` itself rather than in a list: no list is made, appended to and emptied per request; every failure
path wraps it in a list as the general form has it.

PERF: a generator is finished by ``anext(generator, _STOPPED)`` (``_dependency_exits.STOPPED``): its
``StopAsyncIteration`` becomes the sentinel inside ``anext``'s awaitable (C) instead of being raised into the
handler's frame and caught there (no exception object, no traceback): ~1.5k instructions less per ``yield``
dependency. A generator that yields again is answered "generator didn't stop" as before; whatever else its teardown
raises reaches the handler as it did.
"""

from __future__ import annotations

__all__ = ("teardown_source",)

# Finishing the ``yield`` dependencies left in ``generators`` when the request ended cleanly (the last entered first).
_FINISH_INLINE = """\
    if generators is not None:
        while generators:
            generator = generators.pop()
            try:
                if await anext(generator, _STOPPED) is _STOPPED:
                    continue
                teardown_failure = RuntimeError("generator didn't stop")
            except BaseException as exc:
                teardown_failure = exc
            await _exit_after_failure(generators, teardown_failure)
            return
"""

_TEARDOWN = (
    """\
    except Exception as exc:
        if generators is not None:
            _adopt_generators(context, generators)
        if context.stack is None:
            raise
        await _answer_failure(context, exc)
        return
    except BaseException as exc:
        if generators is not None:
            _adopt_generators(context, generators)
        await _shielded_teardown(context, exc)
        raise
    if generators is not None and context.stack is not None:
        _adopt_generators(context, generators)
        generators = None
"""
    + _FINISH_INLINE
    + """\
    if context.stack is not None:
        await context.stack.aclose()
"""
)

# The light handler's: a ``RequestContext`` is made only for a failure after a ``yield`` dependency was entered.
_LIGHT_TEARDOWN = (
    """\
    except Exception as exc:
        if generators is None:
            raise
        context = _RequestContext(scope, receive, send, params, overrides)
        _adopt_generators(context, generators)
        await _answer_failure(context, exc)
        return
    except BaseException as exc:
        if generators is not None:
            context = _RequestContext(scope, receive, send, params, overrides)
            _adopt_generators(context, generators)
            await _shielded_teardown(context, exc)
        raise
"""
    + _FINISH_INLINE
)

# The light handler's, when ``generators`` is the chain's only ``yield`` dependency itself (or None).
_SINGLE_LIGHT_TEARDOWN = """\
    except Exception as exc:
        if generators is None:
            raise
        context = _RequestContext(scope, receive, send, params, overrides)
        _adopt_generators(context, [generators])
        await _answer_failure(context, exc)
        return
    except BaseException as exc:
        if generators is not None:
            context = _RequestContext(scope, receive, send, params, overrides)
            _adopt_generators(context, [generators])
            await _shielded_teardown(context, exc)
        raise
    if generators is not None:
        try:
            if await anext(generators, _STOPPED) is _STOPPED:
                return
            teardown_failure = RuntimeError("generator didn't stop")
        except BaseException as exc:
            teardown_failure = exc
        await _exit_after_failure([], teardown_failure)
"""


_FAILED = "    except Exception as exc:\n"


def teardown_source(*, light: bool, single: bool, read_body: str | None = None, shielded: bool = False) -> str:
    """The source that ends the handler (after its ``try`` block); ``single``: the light form with one generator;
    ``shielded``: a ``yield`` dependency's cleanup awaits, so a clean finish holds cancellation off until it is done.

    ``read_body`` names the expression holding the body bytes the chain read (None if it reads none): on a failure
    they are kept in the scope, where the exception handler's ``Request`` finds them (``REQUEST_BODY_KEY``).
    PERF: on the failure path only; the ``try`` costs nothing when the request succeeds.
    """
    source = _SINGLE_LIGHT_TEARDOWN if single else _LIGHT_TEARDOWN if light else _TEARDOWN
    if shielded:
        source = source.replace("await anext(generator, _STOPPED)", "await _finish_shielded(generator)")
        source = source.replace("await anext(generators, _STOPPED)", "await _finish_shielded(generators)")
    if read_body is None:
        return source
    keep = f"        if {read_body} is not None:\n            scope[_REQUEST_BODY_KEY] = {read_body}\n"
    return source.replace(_FAILED, _FAILED + keep, 1)
