from __future__ import annotations

import ast
import inspect
from http import HTTPStatus

from fasterapi_core import status


def _constants() -> dict[str, int]:
    return {name: value for name, value in vars(status).items() if name.startswith(("HTTP_", "WS_"))}


def test_all_lists_every_constant_sorted() -> None:
    assert sorted(status.__all__) == list(status.__all__)
    assert set(status.__all__) == set(_constants())


def test_names_carry_their_value() -> None:
    for name, value in _constants().items():
        assert int(name.split("_")[1]) == value, name


def test_http_codes_cover_the_standard_library_list() -> None:
    values = {value for name, value in _constants().items() if name.startswith("HTTP_")}
    # 306 is reserved and absent from HTTPStatus; everything HTTPStatus knows must be here.
    missing = {code.value for code in HTTPStatus} - values
    assert missing == set()


def test_well_known_values() -> None:
    assert status.HTTP_200_OK == 200
    assert status.HTTP_404_NOT_FOUND == 404
    assert status.HTTP_422_UNPROCESSABLE_CONTENT == 422
    assert status.HTTP_511_NETWORK_AUTHENTICATION_REQUIRED == 511
    assert status.WS_1000_NORMAL_CLOSURE == 1000
    assert status.WS_1008_POLICY_VIOLATION == 1008
    assert status.WS_1013_TRY_AGAIN_LATER == 1013


def test_older_names_are_plain_aliases() -> None:
    assert status.HTTP_413_REQUEST_ENTITY_TOO_LARGE == status.HTTP_413_CONTENT_TOO_LARGE
    assert status.HTTP_414_REQUEST_URI_TOO_LONG == status.HTTP_414_URI_TOO_LONG
    assert status.HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE == status.HTTP_416_RANGE_NOT_SATISFIABLE
    assert status.HTTP_422_UNPROCESSABLE_ENTITY == status.HTTP_422_UNPROCESSABLE_CONTENT


def test_module_is_plain_assignments() -> None:
    tree = ast.parse(inspect.getsource(status))
    for node in tree.body:
        assert isinstance(node, ast.Expr | ast.ImportFrom | ast.Assign), ast.dump(node)
