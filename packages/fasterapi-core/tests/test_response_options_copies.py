"""``ResponseOptions`` is immutable, yet copies and pickles: extensions deep-copy objects that hold a route's."""

from __future__ import annotations

import copy
import pickle

from fasterapi_core._response_model import ResponseOptions


def test_copies_and_pickles_are_equal_options() -> None:
    options = ResponseOptions(include={"owner": {"email"}}, exclude={"secret"}, by_alias=False, exclude_none=True)
    copies = [copy.copy(options), copy.deepcopy(options), pickle.loads(pickle.dumps(options))]
    assert copies == [options] * 3
    assert copies[1].include is not options.include
