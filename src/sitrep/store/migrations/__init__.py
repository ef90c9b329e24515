"""Alembic migrations for the sitrep store (a package, so installs ship these files)."""
