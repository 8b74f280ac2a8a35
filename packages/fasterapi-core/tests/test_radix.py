from __future__ import annotations

import uuid

import pytest

from fasterapi_core import RadixRouter
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.radix import CONVERTORS, PathTemplate, SegmentTree


def handler_named(name: str) -> object:
    def handler() -> str:
        return name

    handler.__name__ = name
    return handler


def test_add_route_and_resolve_returns_handler_params_and_metadata() -> None:
    router = RadixRouter()
    handler = handler_named("get_user")
    router.add_route("get", "/users/{user_id}", handler, {"tags": ["users"]})

    assert router.resolve("GET", "/users/42") == (handler, {"user_id": "42"}, {"tags": ["users"]})
    assert router.resolve("get", "/users/42") == (handler, {"user_id": "42"}, {"tags": ["users"]})


def test_resolve_returns_none_for_unknown_path_or_method() -> None:
    router = RadixRouter()
    router.add_route("GET", "/users", "list")

    assert router.resolve("GET", "/nope") is None
    assert router.resolve("POST", "/users") is None
    assert router.resolve("GET", "users") is None


def test_metadata_defaults_to_empty_dict() -> None:
    router = RadixRouter()
    router.add_route("GET", "/", "root")

    assert router.resolve("GET", "/") == ("root", {}, {})


def test_head_falls_back_to_get_and_allowed_methods_lists_head() -> None:
    router = RadixRouter()
    router.add_route("GET", "/items", "list")
    router.add_route("POST", "/items", "create")

    assert router.resolve("HEAD", "/items") == ("list", {}, {})
    assert router.allowed_methods("/items") == {"GET", "HEAD", "POST"}
    assert router.allowed_methods("/missing") == set()


def test_allowed_methods_without_get_has_no_head() -> None:
    router = RadixRouter()
    router.add_route("DELETE", "/items/{id}", "delete")

    assert router.allowed_methods("/items/3") == {"DELETE"}
    assert router.resolve("HEAD", "/items/3") is None


def test_static_segment_beats_parameter() -> None:
    router = RadixRouter()
    router.add_route("GET", "/users/{user_id}", "by_id")
    router.add_route("GET", "/users/me", "me")

    assert router.resolve("GET", "/users/me") == ("me", {}, {})
    assert router.resolve("GET", "/users/you") == ("by_id", {"user_id": "you"}, {})


def test_typed_convertors_convert_and_filter() -> None:
    router = RadixRouter()
    router.add_route("GET", "/n/{id:int}", "int")
    router.add_route("GET", "/f/{x:float}", "float")
    router.add_route("GET", "/u/{u:uuid}", "uuid")
    router.add_route("GET", "/s/{name:str}", "str")
    value = uuid.UUID("12345678-1234-5678-1234-567812345678")

    assert router.resolve("GET", "/n/42") == ("int", {"id": 42}, {})
    assert router.resolve("GET", "/n/abc") is None
    assert router.resolve("GET", "/n/-1") is None
    assert router.resolve("GET", "/f/1.5") == ("float", {"x": 1.5}, {})
    assert router.resolve("GET", "/f/3") == ("float", {"x": 3.0}, {})
    assert router.resolve("GET", "/f/1.5.2") is None
    assert router.resolve("GET", f"/u/{value}") == ("uuid", {"u": value}, {})
    assert router.resolve("GET", "/u/not-a-uuid") is None
    assert router.resolve("GET", "/s/anything") == ("str", {"name": "anything"}, {})


def test_int_convertor_beats_plain_parameter_at_same_position() -> None:
    router = RadixRouter()
    router.add_route("GET", "/files/{name}", "by_name")
    router.add_route("GET", "/files/{file_id:int}", "by_id")

    assert router.resolve("GET", "/files/7") == ("by_id", {"file_id": 7}, {})
    assert router.resolve("GET", "/files/seven") == ("by_name", {"name": "seven"}, {})


def test_path_convertor_takes_the_rest_including_slashes() -> None:
    router = RadixRouter()
    router.add_route("GET", "/static/{rest:path}", "static")

    assert router.resolve("GET", "/static/css/site.css") == ("static", {"rest": "css/site.css"}, {})
    assert router.resolve("GET", "/static/") == ("static", {"rest": ""}, {})
    # As in Starlette, the catch-all needs its own segment: /static is left to trailing-slash redirection.
    assert router.resolve("GET", "/static") is None


def test_path_convertor_inside_a_template_takes_the_longest_fitting_run() -> None:
    router = RadixRouter()
    router.add_route("GET", "/{identity}/{pk:path}/{column}/download/", "download")
    router.add_route("GET", "/{identity}/edit/{pk:path}", "edit")
    router.add_route("GET", "/tree/{rest:path}/leaf.{ext}", "leaf")

    assert router.resolve("GET", "/user/1/avatar/download/") == (
        "download",
        {"identity": "user", "pk": "1", "column": "avatar"},
        {},
    )
    assert router.resolve("GET", "/user/a/b/avatar/download/") == (
        "download",
        {"identity": "user", "pk": "a/b", "column": "avatar"},
        {},
    )
    assert router.resolve("GET", "/user//avatar/download/") == (
        "download",
        {"identity": "user", "pk": "", "column": "avatar"},
        {},
    )
    assert router.resolve("GET", "/user/1/avatar/download") is None
    assert router.resolve("GET", "/user/avatar/download/") is None
    assert router.resolve("GET", "/user/edit/3/4") == ("edit", {"identity": "user", "pk": "3/4"}, {})
    assert router.resolve("GET", "/tree/a/b/leaf.txt") == ("leaf", {"rest": "a/b", "ext": "txt"}, {})
    assert router.resolve("GET", "/tree/leaf.txt") is None


def test_path_params_come_in_the_order_of_the_path() -> None:
    router = RadixRouter()
    router.add_route("GET", "/u/{user}/posts/{post:int}/{rest:path}", "post")
    router.add_route("GET", "/m/{year}-{month}/{day}", "day")
    router.add_route("GET", "/m/{year}-{month}/{day}/x", "backtracked")

    found = router.resolve("GET", "/u/ann/posts/3/a/b")
    assert found is not None
    assert list(found[1].items()) == [("user", "ann"), ("post", 3), ("rest", "a/b")]
    found = router.resolve("GET", "/m/2024-05/7")
    assert found is not None
    assert list(found[1].items()) == [("year", "2024"), ("month", "05"), ("day", "7")]


def test_root_catch_all() -> None:
    router = RadixRouter()
    router.add_route("GET", "/{path:path}", "spa")

    assert router.resolve("GET", "/") == ("spa", {"path": ""}, {})
    assert router.resolve("GET", "/a/b/c") == ("spa", {"path": "a/b/c"}, {})


def test_static_route_beats_catch_all_and_catch_all_is_last_resort() -> None:
    router = RadixRouter()
    router.add_route("GET", "/docs/{rest:path}", "docs")
    router.add_route("GET", "/docs/index", "index")
    router.add_route("GET", "/docs/{page}/edit", "edit")

    assert router.resolve("GET", "/docs/index") == ("index", {}, {})
    assert router.resolve("GET", "/docs/intro/edit") == ("edit", {"page": "intro"}, {})
    assert router.resolve("GET", "/docs/intro/view") == ("docs", {"rest": "intro/view"}, {})


def test_mixed_segments() -> None:
    router = RadixRouter()
    router.add_route("GET", "/files/{name}.{ext}", "file")
    router.add_route("GET", "/v{major:int}/ping", "versioned")
    router.add_route("GET", "/report-{year:int}.{fmt}", "report")

    assert router.resolve("GET", "/files/archive.tar.gz") == ("file", {"name": "archive.tar", "ext": "gz"}, {})
    assert router.resolve("GET", "/files/readme") is None
    assert router.resolve("GET", "/v2/ping") == ("versioned", {"major": 2}, {})
    assert router.resolve("GET", "/vx/ping") is None
    assert router.resolve("GET", "/report-2024.csv") == ("report", {"year": 2024, "fmt": "csv"}, {})


def test_whole_typed_segment_beats_mixed_and_mixed_beats_plain() -> None:
    router = RadixRouter()
    router.add_route("GET", "/x/{anything}", "plain")
    router.add_route("GET", "/x/{name}.json", "json")
    router.add_route("GET", "/x/{n:int}", "number")

    assert router.resolve("GET", "/x/5") == ("number", {"n": 5}, {})
    assert router.resolve("GET", "/x/data.json") == ("json", {"name": "data"}, {})
    assert router.resolve("GET", "/x/data") == ("plain", {"anything": "data"}, {})


def test_backtracking_from_static_branch_into_parameter() -> None:
    router = RadixRouter()
    router.add_route("GET", "/a/{x}/c", "param")
    router.add_route("GET", "/a/b/d", "static")

    assert router.resolve("GET", "/a/b/d") == ("static", {}, {})
    assert router.resolve("GET", "/a/b/c") == ("param", {"x": "b"}, {})
    assert router.resolve("GET", "/a/z/c") == ("param", {"x": "z"}, {})
    assert router.resolve("GET", "/a/b/e") is None


def test_backtracking_between_typed_and_plain_parameters() -> None:
    router = RadixRouter()
    router.add_route("GET", "/a/{n:int}/x", "typed")
    router.add_route("GET", "/a/{name}/y", "plain")

    assert router.resolve("GET", "/a/1/x") == ("typed", {"n": 1}, {})
    assert router.resolve("GET", "/a/1/y") == ("plain", {"name": "1"}, {})


def test_failed_branch_leaves_no_stale_parameters() -> None:
    router = RadixRouter()
    router.add_route("GET", "/a/{n:int}/{m:int}/x", "typed")
    router.add_route("GET", "/a/{name}/{other}/y", "plain")

    assert router.resolve("GET", "/a/1/2/y") == ("plain", {"name": "1", "other": "2"}, {})


def test_different_parameter_names_at_different_depths_are_allowed() -> None:
    router = RadixRouter()
    router.add_route("GET", "/items/{item_id}", "item")
    router.add_route("GET", "/items/{id}/tags", "tags")

    assert router.resolve("GET", "/items/3") == ("item", {"item_id": "3"}, {})
    assert router.resolve("GET", "/items/3/tags") == ("tags", {"id": "3"}, {})


def test_same_shape_with_other_parameter_names_is_refused() -> None:
    router = RadixRouter()
    router.add_route("GET", "/items/{item_id}", "item")

    with pytest.raises(FasterAPIError, match="names its parameters differently"):
        router.add_route("PUT", "/items/{id}", "update")


def test_catch_all_with_two_names_is_refused() -> None:
    tree: SegmentTree[str] = SegmentTree()
    tree.insert(PathTemplate("/a/{rest:path}"), lambda: "one")

    with pytest.raises(FasterAPIError):
        tree.insert(PathTemplate("/a/{tail:path}"), lambda: "two")


def test_re_registering_a_method_replaces_the_handler() -> None:
    router = RadixRouter()
    router.add_route("GET", "/x", "first")
    router.add_route("GET", "/x", "second")

    assert router.resolve("GET", "/x") == ("second", {}, {})


def test_empty_segments_do_not_match_parameters() -> None:
    router = RadixRouter()
    router.add_route("GET", "/users/{name}", "user")

    assert router.resolve("GET", "/users/") is None
    assert router.resolve("GET", "//users/x") is None
    assert router.resolve("GET", "/users/x/") is None


def test_ten_thousand_routes_resolve_correctly() -> None:
    router = RadixRouter()
    for index in range(10_000):
        router.add_route("GET", f"/resource{index}/{{item_id:int}}", index)
        router.add_route("POST", f"/static/{index}", -index)

    assert router.resolve("GET", "/resource0/1") == (0, {"item_id": 1}, {})
    assert router.resolve("GET", "/resource9999/77") == (9999, {"item_id": 77}, {})
    assert router.resolve("GET", "/resource5000/x") is None
    assert router.resolve("POST", "/static/4242") == (-4242, {}, {})
    assert router.resolve("GET", "/resource10000/1") is None


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("no-slash", "must start with '/'"),
        ("/a/{x:bogus}", "Unknown path convertor"),
        ("/a/{x}/{x}", "Duplicated param name x at path"),
        ("/a/x{rest:path}", "whole segment"),
        ("/a/{rest:path}.json", "whole segment"),
        ("/a/{x", "Malformed parameter"),
        ("/a/x}", "Malformed parameter"),
    ],
)
def test_bad_templates_are_refused_at_registration(path: str, message: str) -> None:
    with pytest.raises(FasterAPIError, match=message):
        RadixRouter().add_route("GET", path, "handler")


def test_template_format_renders_and_checks_values() -> None:
    template = PathTemplate("/u/{id:int}/{x:float}/{rest:path}")

    assert template.param_names == ("id", "x", "rest")
    assert not template.is_static
    assert PathTemplate("/plain/path").is_static
    assert template.format({"id": 3, "x": 1.25, "rest": "a/b"}) == "/u/3/1.25/a/b"
    assert template.format({"id": "4", "x": 2, "rest": ""}) == "/u/4/2/"
    with pytest.raises(KeyError):
        template.format({"id": 1})
    with pytest.raises(ValueError, match="Negative"):
        template.format({"id": -1, "x": 1, "rest": ""})
    with pytest.raises(ValueError, match="finite"):
        template.format({"id": 1, "x": float("inf"), "rest": ""})


def test_template_format_refuses_a_slash_outside_path_parameters() -> None:
    with pytest.raises(ValueError, match="must not contain '/'"):
        PathTemplate("/users/{name}").format({"name": "a/../b"})


def test_convertor_table() -> None:
    assert set(CONVERTORS) == {"int", "float", "uuid", "str", "path"}
    assert CONVERTORS["int"].pattern.fullmatch("123") is not None
    assert CONVERTORS["int"].pattern.fullmatch("12a") is None


def test_segment_tree_insert_returns_the_existing_value() -> None:
    tree: SegmentTree[dict[str, str]] = SegmentTree()
    first = tree.insert(PathTemplate("/a/{x}"), dict)
    first["GET"] = "get"
    second = tree.insert(PathTemplate("/a/{x}"), dict)

    assert second is first
    assert tree.lookup("/a/1") == ({"GET": "get"}, {"x": "1"})
    assert tree.lookup("relative") is None


def test_segment_tree_static_prefix_lookup_finds_the_deepest_prefix() -> None:
    tree: SegmentTree[str] = SegmentTree()
    tree.insert(PathTemplate("/static"), lambda: "static")
    tree.insert(PathTemplate("/static/images"), lambda: "images")

    assert tree.static_prefix_lookup("/static/images/logo.png") == ("images", "/static/images")
    assert tree.static_prefix_lookup("/static/css/site.css") == ("static", "/static")
    assert tree.static_prefix_lookup("/other") is None


TEMPLATES = [
    "/users",
    "/users/me",
    "/users/{user_id:int}",
    "/users/{name}",
    "/users/{user_id:int}/posts",
    "/users/{name}/posts/{post_id:uuid}",
    "/files/{rest:path}",
    "/files/readme",
    "/items/item-{item_id:int}",
    "/items/{sku}",
    "/{section}",
    "/{section}/about",
    "/v{major:int}/status",
    "/prices/{amount:float}",
]

PATHS = [
    "/users", "/users/", "/users/me", "/users/42", "/users/-1", "/users/ada", "/users/42/posts", "/users/ada/posts",
    f"/users/ada/posts/{uuid.UUID(int=7)}", "/users/ada/posts/nope", "/files/", "/files/a/b", "/files/readme",
    "/files", "/items/item-3", "/items/item-x", "/items/", "/blog", "/blog/about", "/blog/x", "/v2/status",
    "/vx/status", "/prices/1.5", "/prices/abc", "/prices/", "//", "/", "",
]  # fmt: skip


def test_the_one_probe_tail_lookup_answers_as_the_full_walk() -> None:
    # The fast path for /prefix/{param} paths must be invisible: a tree without it must give the same answers.
    fast: SegmentTree[str] = SegmentTree()
    walked: SegmentTree[str] = SegmentTree()
    for template in TEMPLATES:
        fast.insert(PathTemplate(template), lambda template=template: template)
        walked.insert(PathTemplate(template), lambda template=template: template)
    walked._tails.clear()
    assert fast._tails  # the shortcut is in use
    for path in PATHS:
        assert fast.lookup(path) == walked.lookup(path), path
    assert fast.lookup("/users/42") == ("/users/{user_id:int}", {"user_id": 42})
    assert fast.lookup("/users/ada") == ("/users/{name}", {"name": "ada"})
    assert fast.lookup("/items/item-3") == ("/items/item-{item_id:int}", {"item_id": 3})
