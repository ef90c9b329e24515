"""Alembic environment. ``open_store`` passes its connection in ``config.attributes``;
the ``alembic`` command line (with ``sqlalchemy.url`` set) gets an engine of its own."""

from __future__ import annotations

from alembic import context

from sitrep.store import engine as store_engine
from sitrep.store.schema import metadata


def _configure(**kw) -> None:
    context.configure(
        target_metadata=metadata,
        version_table=store_engine.VERSION_TABLE,
        include_name=store_engine.include_name,
        **kw,
    )


def run(connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


config = context.config
if context.is_offline_mode():
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (conn := config.attributes.get("connection")) is not None:
    run(conn)
else:
    url, _label = store_engine.resolve_url(config.get_main_option("sqlalchemy.url"))
    with store_engine.write_connection(store_engine.create(url)) as conn:
        run(conn)
