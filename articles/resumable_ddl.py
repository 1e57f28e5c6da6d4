"""
Steps of the non-atomic migrations (0007, 0008) that a second run takes up where a stopped first run left off.

A migration that is not atomic commits each step on its own; stopped halfway (a deploy killed, a
lost connection), it is not recorded as applied, and `migrate` runs it again from its start. So
every step looks first: a column or a valid index already there is kept, and an index that a
stopped `CREATE INDEX CONCURRENTLY` left behind (PostgreSQL keeps it, marked invalid) is rebuilt.
"""

VALID = "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)"


def index_state(schema_editor, name):
    """True for a valid index `name`, False for one left invalid, None for none."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(VALID, [name])
        row = cursor.fetchone()
    return None if row is None else row[0]


def drop_if_invalid(schema_editor, name):
    if index_state(schema_editor, name) is False:
        drop_index_concurrently(schema_editor, name)


def add_index_concurrently(schema_editor, model, index):
    drop_if_invalid(schema_editor, index.name)
    if not index_state(schema_editor, index.name):
        schema_editor.add_index(model, index, concurrently=True)


def drop_index_concurrently(schema_editor, name):
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}")
