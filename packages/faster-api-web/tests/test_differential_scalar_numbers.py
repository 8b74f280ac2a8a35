"""Differential sweep of ``int``, ``float``, ``bool`` and ``Decimal`` parameters and their constraints: every
location, every way of declaring them, the spellings pydantic's lax mode reads from strings and those it refuses.
"""

from __future__ import annotations

from typing import Any

PRELUDE = """
from decimal import Decimal
from typing import Optional

from pydantic import conint, confloat, condecimal
"""

# fmt: off
INTEGERS = [
    "1", "-1", "+1", " 1", "1 ", "\t1\n", "01", "-0", "1.0", "1.00", "1.5", "1.", ".0", "1_000", "1__0", "_1", "1_",
    "1e3", "1E3", "inf", "nan", "0x10", "0b1", "0o7", "\uff11", "\u0661", "", " ", "abc", "1,000", "--1", "+-1",
    "9" * 19, "9" * 25, "-" + "9" * 25, "9" * 4301, "1.0e2", "2.0000000001",
]
FLOATS = [
    "1", "1.5", "-1.5", "+1.5", " 1.5", "1.5 ", "1_000.5", "1__0.5", "1e3", "1E-3", "1e400", "-1e400", "1e-400", "inf",
    "-inf", "+inf", "infinity", "Infinity", "-Infinity", "nan", "NaN", "-nan", ".5", "5.", "0x1p3", "\uff11", "",
    "abc", "1,5", "9" * 400, "1.5e", "e5", "1.5.5",
]
BOOLS = [
    "true", "True", "TRUE", "tRuE", "1", "0", "yes", "YES", "no", "on", "off", "ON", "y", "n", "t", "f", "Y", "F",
    "false", "False", "2", "-1", "", " true", "true ", "1.0", "0.0", "none", "null", "ok", "enable",
]
DECIMALS = [
    "1.5", "1", "-0", "1.50", "1e3", "1E-3", "-1.5e-3", "1_000", " 1.5", "1.5 ", "NaN", "nan", "-nan", "sNaN", "inf",
    "Infinity", "-inf", "abc", "", ".5", "5.", "0.12345678901234567890123456789", "1,5", "+1.5", "0x10", "1e400",
]
DIGITS = ["123.45", "1234.5", "1.234", "123456", "0.001", "1e2", "1E5", "-12.34", "0.10", "100.00", "NaN", "012.5"]
# fmt: on

SWEEP = [
    ("int", "int", "", "", INTEGERS),
    ("float", "float", "", "", FLOATS),
    ("bool", "bool", "", "", BOOLS),
    ("decimal", "Decimal", "", "", DECIMALS),
    ("int_bounds", "int", "", "gt=0, le=10", ["0", "1", "10", "11", "-1", "5.0", "x"]),
    ("int_multiple", "int", "", "multiple_of=3", ["3", "4", "0", "-6", "9.0"]),
    ("float_bounds", "float", "", "ge=0.5, lt=2.5", ["0.5", "0.49", "2.5", "2", "inf", "nan", "-inf"]),
    ("float_multiple", "float", "", "multiple_of=0.5", ["1.5", "1.2", "0", "-1"]),
    ("int_checks", "int", "", "gt=0, le=30, multiple_of=3", ["-1", "3", "-3", "4", "33", "31", "0", "1e1"]),
    ("float_checks", "float", "", "gt=0, lt=10, multiple_of=0.5", ["-0.3", "0.5", "-inf", "inf", "nan", "10.5"]),
    ("decimal_digits", "Decimal", "", "max_digits=5, decimal_places=2", DIGITS),
    ("decimal_bounds", "Decimal", "", "gt=0, le=10", ["0", "0.0001", "10", "10.0001", "nan", "x"]),
    ("conint", "conint(gt=0, le=10)", "", "", ["5", "0", "11", "abc", "5.0"]),
    ("confloat", "confloat(ge=0, allow_inf_nan=False)", "", "", ["1", "-1", "inf", "nan"]),
    ("condecimal", "condecimal(max_digits=3, decimal_places=1)", "", "", ["1.5", "12.5", "1.25", "123"]),
    ("int_default", "int", "3", "", ["5", "", None, "x"]),
    ("int_optional", "Optional[int]", "None", "", ["5", "", None, "x", " "]),
    ("float_or_none", "float | None", "None", "", ["5", "", None, "nan"]),
    ("bool_optional", "Optional[bool]", "None", "", ["yes", "", None, "maybe"]),
    ("decimal_optional", "Optional[Decimal]", "None", "", ["1.5", "", None, "x"]),
    ("int_required_optional", "Optional[int]", "", "", ["5", "", None]),
]


def test_number_parameters_as_with_fastapi(scalar_case: str, scalar_answers: dict[str, dict[str, Any]]) -> None:
    assert scalar_answers["FasterAPI"][scalar_case] == scalar_answers["fastapi"][scalar_case]
