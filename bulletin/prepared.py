"""ORM queries compiled once per process, for the hottest reads of a cold page.

Compiling a query with select_related over translated models costs the ORM
more than running it (bench/part_coldpage.py). `Prepared` builds a queryset
once with marker values, compiles it, finds where each marker (and the
publication time that `published()` filters on) sits in the parameters, and
from then on runs the same SQL with the real values, the rows turned into
model instances by Django's own iterable (select_related included). Anything
unexpected in the compiled parameters, and it compiles every time instead.

On PostgreSQL the SQL is also prepared on the server (`server_side`): PREPARE
once per connection, then EXECUTE with the values, under a generic plan, so
the database does not plan the query again for every page (planning these
joins took longer than running them). The statements live as long as their
connection; the first request on a new connection prepares them again (behind
a pooler that hands one session to many clients, such as PgBouncer in
transaction mode, session pooling is needed).
"""

import datetime
import hashlib
import re
import threading

from django.db import connections
from django.utils import timezone

_PLACEHOLDER = re.compile(r"%[s%]")
_server = threading.local()  # (raw connection, {sql: EXECUTE form or None}) per thread


def server_side(connection, sql: str, params_count: int) -> str:
    """What to run for `sql` (psycopg2's %s placeholders, `params_count` of
    them): on PostgreSQL, the EXECUTE of a statement prepared once on this
    connection; elsewhere, or where it cannot be prepared, `sql` itself."""
    if connection.vendor != "postgresql":
        return sql
    connection.ensure_connection()
    raw = connection.connection
    state = getattr(_server, "state", None)
    if state is None or state[0] is not raw:  # a new connection has none prepared
        state = _server.state = (raw, {})
    statements = state[1]
    if sql not in statements:
        statements[sql] = _prepare(connection, sql, params_count)
    return statements[sql] or sql


def _prepare(connection, sql: str, params_count: int) -> str | None:
    name = "bulletin_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:24]
    numbers = iter(range(1, params_count + 1))
    numbered = _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else f"${next(numbers)}", sql)
    # On the driver's own cursor, as Django sets up a connection's time zone:
    # preparing is part of the connection's state, not a query of the page.
    # In a transaction, under a savepoint: a statement PostgreSQL will not
    # prepare costs nothing but this, and runs as plain SQL from then on.
    in_transaction = not connection.get_autocommit()
    with connection.wrap_database_errors, connection.connection.cursor() as cursor:
        if in_transaction:  # fails, as the page's query would, in a broken transaction
            cursor.execute("SAVEPOINT bulletin_prepare")
        try:
            # Plan once for any values: these queries' plans do not depend on
            # them (the same index walk whatever the article). Session-wide;
            # nothing else in the project prepares statements.
            cursor.execute("SET plan_cache_mode = force_generic_plan")
            cursor.execute(f"PREPARE {name} AS {numbered}")
        except connection.Database.Error:
            if in_transaction:
                cursor.execute("ROLLBACK TO SAVEPOINT bulletin_prepare")
            return None
        if in_transaction:
            cursor.execute("RELEASE SAVEPOINT bulletin_prepare")
    arguments = ", ".join(["%s"] * params_count)
    return f"EXECUTE {name}({arguments})" if params_count else f"EXECUTE {name}"


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
        compiler.current = (server_side(connections["default"], compiler.sql, len(params)),
                            tuple(params))
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
