"""Storage: SQLite by default, PostgreSQL through the same code, migrated on open.

    store = open_store("var/sitrep.db")        # or "postgresql://user@host/db"
    store.save_extraction(ex)                    # False when the document is already stored
    store.mentions(since="2023-10-17", mode="uas_one_way", country="SY")

Modules: ``schema`` (tables), ``engine`` (connections, migrations), ``rows`` (records to
rows and back), ``writes``, ``queries``, ``api`` (``Store``).
"""

from sitrep.store.api import Store, open_store

__all__ = ["Store", "open_store"]
