"""Where each CSV record starts: the physical line of every record, as Arrow's reader splits them.

Arrow numbers rows by record (the header is record 1), skipping empty lines and counting a quoted
field that spans lines once; a person looking for a bad row in an editor wants its line. This
kernel walks the bytes as Arrow's parser does with its default options (``"`` quotes a field
that starts with it, ``""`` inside is a quote, a line ends at LF, CR or CRLF outside quotes,
empty lines are skipped) and writes the line each record starts on. It runs over a file in
chunks: ``state`` carries what it was in the middle of from one chunk to the next.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["IN_QUOTE", "STATE_SIZE", "new_state", "record_lines"]

_NL, _CR, _QUOTE, _COMMA = 10, 13, 34, 44
# state slots
_LINE, _REC_LINE, _IN_QUOTE, _QUOTE_SEEN, _FIELD_START, _EMPTY, _AFTER_CR = range(7)
STATE_SIZE = 7
IN_QUOTE = _IN_QUOTE  # the state slot that says a quoted field is open (at the end: never closed)


def new_state() -> np.ndarray:
    """The state before a file's first byte: line 1, at the start of an empty record."""
    state = np.zeros(STATE_SIZE, np.int64)
    state[_LINE] = state[_REC_LINE] = 1
    state[_FIELD_START] = state[_EMPTY] = 1
    return state


@njit(cache=True, nogil=True)
def record_lines(data, state, out, final):
    """Lines (1-based) of the records that start in ``data``, written to ``out`` (at least
    ``len(data) // 2 + 1`` long); returns how many. ``final``: ``data`` ends the file, so a last
    record without a line break counts too."""
    line, rec_line = state[_LINE], state[_REC_LINE]
    in_quote, quote_seen = state[_IN_QUOTE] == 1, state[_QUOTE_SEEN] == 1
    field_start, empty, after_cr = state[_FIELD_START] == 1, state[_EMPTY] == 1, state[_AFTER_CR] == 1
    n = 0
    for i in range(data.shape[0]):
        c = data[i]
        if after_cr:
            after_cr = False
            if c == _NL:
                continue  # CRLF: one line break, counted at the CR
        if quote_seen:  # a quote inside a quoted field: doubled, or the field's end
            quote_seen = False
            if c == _QUOTE:
                continue
            in_quote = False
        if in_quote:
            if c == _QUOTE:
                quote_seen = True
            elif c in (_NL, _CR):
                line += 1
                after_cr = c == _CR
            continue
        if c in (_NL, _CR):
            if not empty:
                out[n] = rec_line
                n += 1
            empty = True
            field_start = True
            line += 1
            after_cr = c == _CR
            continue
        if empty:
            rec_line = line
            empty = False
        if c == _QUOTE and field_start:
            in_quote = True
        field_start = c == _COMMA
    if final and not empty:
        out[n] = rec_line
        n += 1
    state[_LINE], state[_REC_LINE] = line, rec_line
    state[_IN_QUOTE], state[_QUOTE_SEEN] = in_quote, quote_seen
    state[_FIELD_START], state[_EMPTY], state[_AFTER_CR] = field_start, empty, after_cr
    return n
