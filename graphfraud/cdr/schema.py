"""The call-record input contract, in one place.

calls: ``caller, callee, start_time, duration_s`` required, ``cell_id, imei`` optional.
subscribers: ``number, activated_on``.

After validation a call table has the columns of :data:`CALLS_SCHEMA`:
``start`` is epoch seconds (UTC) and ``duration_s`` is whole seconds, 0 meaning not answered.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = [
    "CALLS_SCHEMA",
    "CALL_OPTIONAL",
    "CALL_REQUIRED",
    "MAX_NUMBER_DIGITS",
    "SUBSCRIBERS_SCHEMA",
    "SUBSCRIBER_REQUIRED",
]

CALL_REQUIRED = ("caller", "callee", "start_time", "duration_s")
CALL_OPTIONAL = ("cell_id", "imei")
SUBSCRIBER_REQUIRED = ("number", "activated_on")
MAX_NUMBER_DIGITS = 15

CALLS_SCHEMA = pa.schema(
    [
        pa.field("caller", pa.string(), nullable=False),
        pa.field("callee", pa.string(), nullable=False),
        pa.field("start", pa.int64(), nullable=False),  # epoch seconds, UTC
        pa.field("duration_s", pa.int32(), nullable=False),  # seconds; 0 = not answered
        pa.field("cell_id", pa.string()),
        pa.field("imei", pa.string()),
    ]
)

SUBSCRIBERS_SCHEMA = pa.schema(
    [
        pa.field("number", pa.string(), nullable=False),
        pa.field("activated_on", pa.date32(), nullable=False),
    ]
)
