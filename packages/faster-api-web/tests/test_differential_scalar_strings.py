"""Differential sweep of string-shaped parameters (``str`` and its constraints, ``Enum``, ``Literal``, ``UUID``,
``bytes``, paths, IP addresses, e-mail addresses, URLs): every location, every way of declaring them.
"""

from __future__ import annotations

from typing import Any

PRELUDE = """
import enum
from ipaddress import IPv4Address, IPv6Address, IPv4Network
from pathlib import Path as FilePath
from typing import Literal, Optional
from uuid import UUID

from pydantic import EmailStr, HttpUrl, AnyUrl, IPvAnyAddress, constr


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Mode(enum.StrEnum):
    FAST = "fast"
    SLOW = "slow"


class Mixed(enum.Enum):
    ONE = 1
    TWO = "two"
"""

UUIDS = [
    "12345678-1234-5678-1234-567812345678",
    "12345678123456781234567812345678",
    "12345678-1234-5678-1234-56781234567",
    "{12345678-1234-5678-1234-567812345678}",
    "urn:uuid:12345678-1234-5678-1234-567812345678",
    "12345678-1234-5678-1234-567812345678 ",
    "ABCDEF01-1234-5678-1234-567812345678",
    "1234-5678",
    "",
    "x" * 36,
    "12345678-1234-5678-1234-56781234567g",
    "1234567812345678123456781234567g",
]
SWEEP = [
    ("str", "str", "", "", ["abc", "", " a ", "é", "null", "1"]),
    ("str_lengths", "str", "", "min_length=2, max_length=3", ["ab", "a", "abcd", "", "éé", "  "]),
    ("str_pattern", "str", "", "pattern='^a+$'", ["aaa", "b", "", "aab", "a\\n"]),
    ("str_pattern_search", "str", "", "pattern='b'", ["abc", "xyz"]),
    ("constr", "constr(min_length=2, pattern='^[a-z]+$', to_lower=True)", "", "", ["AB", "a", "a1"]),
    ("enum", "Color", "", "", ["red", "RED", "Color.RED", "blue", "", " red"]),
    ("int_enum", "Level", "", "", ["1", "2", "3", "LOW", "1.0", " 1", "01", "", "x"]),
    ("str_enum", "Mode", "", "", ["fast", "FAST", "other", ""]),
    ("mixed_enum", "Mixed", "", "", ["1", "two", "2", "ONE"]),
    ("literal_str", "Literal['a', 'b']", "", "", ["a", "b", "c", "A", ""]),
    ("literal_int", "Literal[1, 2]", "", "", ["1", "2", "3", "1.0", "a", " 1"]),
    ("literal_mixed", "Literal['x', 3]", "", "", ["x", "3", "4"]),
    ("literal_bool", "Literal[True]", "", "", ["true", "1", "false", "yes"]),
    ("uuid", "UUID", "", "", UUIDS),
    ("bytes", "bytes", "", "", ["abc", "", "é", "\u00ff"]),
    ("bytes_lengths", "bytes", "", "min_length=2, max_length=3", ["ab", "a", "abcd", "é"]),
    ("path", "FilePath", "", "", ["a/b", "/x", "", ".", "a//b/"]),
    ("ipv4", "IPv4Address", "", "", ["1.2.3.4", "1.2.3", "::1", "abc", "", "01.2.3.4", "256.1.1.1"]),
    ("ipv6", "IPv6Address", "", "", ["::1", "1.2.3.4", "fe80::1%eth0"]),
    ("ipv4_network", "IPv4Network", "", "", ["10.0.0.0/8", "10.0.0.1/8", "x"]),
    ("ip_any", "IPvAnyAddress", "", "", ["::1", "1.2.3.4", "abc", ""]),
    ("email", "EmailStr", "", "", ["a@example.com", "A@EXAMPLE.COM", "x", "a@b", "<a@example.com>", ""]),
    ("http_url", "HttpUrl", "", "", ["http://x.com", "https://x.com/a?b=c", "x", "ftp://x.com", ""]),
    ("any_url", "AnyUrl", "", "", ["ftp://x.com", "x", "mailto:a@b.c"]),
    ("enum_optional", "Optional[Color]", "None", "", ["red", "", None, "blue"]),
    ("uuid_or_none", "UUID | None", "None", "", ["12345678123456781234567812345678", "", None, "x"]),
    ("str_optional", "Optional[str]", "None", "", ["a", "", None]),
    ("str_default", "str", "'d'", "", ["a", "", None]),
    ("literal_default", "Literal['a', 'b']", "'a'", "", ["b", "", None, "c"]),
]


def test_string_parameters_as_with_fastapi(scalar_case: str, scalar_answers: dict[str, dict[str, Any]]) -> None:
    assert scalar_answers["FasterAPI"][scalar_case] == scalar_answers["fastapi"][scalar_case]
