"""Alembic environment: run migrations on the connection the store hands over.

Run from the store (``desktop.store.database``), never from the ``alembic`` command line, so
that the backup and the version checks around a migration always happen.
"""

from alembic import context

from desktop.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
