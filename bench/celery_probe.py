"""Bulletin's Celery app, with every SQL statement of each worker process counted.

`celery -A bench.celery_probe worker ...` runs the same app and tasks as
`-A config`; each pool process counts the statements it sends to the database
(a Django execute wrapper) and writes its count to
$BENCH_QUERY_DIR/queries-<pid>.json after every task and at shutdown.
"""

import json
import os
from pathlib import Path

from celery.signals import task_postrun, worker_process_init, worker_process_shutdown

from config.celery import app

__all__ = ["app"]

COUNT = {"queries": 0, "tasks": 0}


def _count(execute, sql, params, many, context):
    COUNT["queries"] += 1
    return execute(sql, params, many, context)


def _install(connection):
    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)


def _write():
    folder = os.environ.get("BENCH_QUERY_DIR")
    if not folder:
        return
    path = Path(folder) / f"queries-{os.getpid()}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(COUNT))
    tmp.replace(path)


@worker_process_init.connect
def _start_counting(**kwargs):
    from django.db import connections
    from django.db.backends.signals import connection_created

    COUNT.update(queries=0, tasks=0)
    for connection in connections.all():
        _install(connection)
    connection_created.connect(lambda sender, connection, **kw: _install(connection),
                               weak=False)


@task_postrun.connect
def _after_task(**kwargs):
    COUNT["tasks"] += 1
    _write()


@worker_process_shutdown.connect
def _at_exit(**kwargs):
    _write()
