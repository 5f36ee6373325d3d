"""ORM queries compiled once per process, for the hottest reads of a cold page.

Compiling a query with select_related over translated models costs the ORM
more than running it (bench/part_coldpage.py). `Prepared` builds a queryset
once with marker values, compiles it, finds where each marker (and the
publication time that `published()` filters on) sits in the parameters, and
from then on runs the same SQL with the real values, the rows turned into
model instances by Django's own iterable (select_related included). Anything
unexpected in the compiled parameters, and it compiles every time instead.
"""

import datetime
import threading

from django.db import connections
from django.utils import timezone


class Prepared:
    def __init__(self, build, **markers):
        """`build(**values)` returns the queryset; `markers`: a value per
        argument that appears nowhere else in the query (it finds its place)."""
        self.build, self.markers = build, markers
        self.local = threading.local()  # a compiler belongs to its thread's connection

    def __call__(self, **values) -> list:
        state = self._state()
        if state is None:
            return list(self.build(**values))
        queryset, compiler, params, slots, at_time = state
        params = list(params)
        for name, index in slots.items():
            params[index] = values[name]
        if at_time is not None:
            params[at_time] = timezone.now()
        compiler.current = (compiler.sql, tuple(params))
        return list(queryset._chain())

    def _state(self):
        connection = connections["default"]
        state = getattr(self.local, "state", None)
        if state is not None and state[0] is connection:
            return state[1]
        if connection.vendor != "postgresql":
            # SQLite's backend turns a datetime into text while compiling, so the
            # publication time could not be found and replaced: it would stay
            # the time of the first compile, and later publications 404.
            self.local.state = (connection, None)
            return None
        queryset = self.build(**self.markers)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = {name: [i for i, p in enumerate(params) if p == marker]
                 for name, marker in self.markers.items()}
        times = [i for i, p in enumerate(params) if isinstance(p, datetime.datetime)]
        prepared = None
        if all(len(found) == 1 for found in slots.values()) and len(times) <= 1:
            compiler.sql = sql
            compiler.as_sql = lambda *args, **kwargs: compiler.current
            queryset.query.get_compiler = lambda *args, **kwargs: compiler
            prepared = (queryset, compiler, params,
                        {name: found[0] for name, found in slots.items()},
                        times[0] if times else None)
        self.local.state = (connection, prepared)
        return prepared
