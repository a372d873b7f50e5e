"""A hand-made tiny world: one ring of three SIMs, a courier and ordinary callers."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from graphfraud.cdr.schema import CALLS_SCHEMA, SUBSCRIBERS_SCHEMA

T0 = 1_700_000_000  # epoch seconds, a weekday morning
RING = ["13900000001", "13900000002", "13900000003"]
COURIER = "13500000000"
HOTLINE = "95500"


def tiny_world_tables() -> tuple[pa.Table, pa.Table]:
    rows: list[tuple] = []  # caller, callee, start, duration, cell, imei

    def call(a, b, t, d=40, cell="C1", imei=None):
        rows.append((a, b, t, d, cell, imei or f"IMEI-{a}"))

    # The ring: each victim is rung by all three SIMs within 20 minutes of each other.
    for i in range(12):
        victim = f"1880000{i:04d}"
        for k, sim in enumerate(RING):
            call(sim, victim, T0 + 300 * i + 600 * k, d=30, cell="C9")
    # A courier: 25 recipients in 90 minutes, nobody else calls them.
    for i in range(25):
        call(COURIER, f"1770000{i:04d}", T0 + 216 * i, d=25, cell="C2")
    # Ordinary people: friends who call each other repeatedly, two siblings calling mum a day
    # apart, everybody calling the same hotline.
    people = [f"136{7919 * i + 104729:08d}" for i in range(12)]
    for i, p in enumerate(people):
        for j in (1, 2, -1, -2):
            friend = people[(i + j) % len(people)]
            for day in range(3):
                call(p, friend, T0 + 86_400 * day + 3600 * j + 60 * i, d=120, cell=f"C{i % 3}")
        call(p, HOTLINE, T0 + 7200 + 90 * i, d=300)
    for sim in RING:
        call(sim, HOTLINE, T0 + 9000, d=60, cell="C9")
    for i in range(60):  # a hotline is popular: above the co-targeting cap of 50 callers
        call(f"1590000{i:04d}", HOTLINE, T0 + 60 * i, d=100, cell="C3")
    call(people[0], "13100000000", T0, d=200)
    call(people[1], "13100000000", T0 + 86_400, d=200)

    cols = list(zip(*rows, strict=True))
    calls = pa.Table.from_arrays(
        [pa.array(c, f.type) for c, f in zip(cols, CALLS_SCHEMA, strict=True)],
        schema=CALLS_SCHEMA,
    )
    day = dt.date.fromtimestamp(T0)
    subs = [(s, day - dt.timedelta(days=5)) for s in RING]
    subs += [(COURIER, day - dt.timedelta(days=400))]
    subs += [(p, day - dt.timedelta(days=1000)) for p in people]
    subscribers = pa.Table.from_arrays(
        [pa.array([s[0] for s in subs]), pa.array([s[1] for s in subs], pa.date32())],
        schema=SUBSCRIBERS_SCHEMA,
    )
    return calls, subscribers
