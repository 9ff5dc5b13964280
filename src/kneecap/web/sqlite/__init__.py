"""Django's SQLite backend with writers queued fairly across processes (see ``base``)."""
