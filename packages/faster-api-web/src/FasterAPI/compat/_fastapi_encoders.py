"""``fastapi.encoders`` under the compatibility layer: ``jsonable_encoder`` and FastAPI's two small encoders.

FastAPI's ``ENCODERS_BY_TYPE`` table is not provided: FasterAPI's ``jsonable_encoder`` does not read a global
table (changing one would change nothing), it takes ``custom_encoder={type: function}`` per call.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from FasterAPI.compat._forward import forward_names
from FasterAPI.encoders import jsonable_encoder

__all__ = ("decimal_encoder", "isoformat", "jsonable_encoder")


def isoformat(o: datetime.date | datetime.time) -> str:
    """A date or time in ISO 8601 form (``o.isoformat()``)."""
    return o.isoformat()


def decimal_encoder(dec_value: Decimal) -> int | float:
    """A ``Decimal`` as JSON has it: an ``int`` when it has no fractional exponent, else a ``float``.

    >>> decimal_encoder(Decimal("1")), decimal_encoder(Decimal("1.0"))
    (1, 1.0)
    """
    exponent = dec_value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(dec_value)
    return float(dec_value)


__getattr__, __dir__ = forward_names(__name__, "FasterAPI.encoders")
