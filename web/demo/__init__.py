"""Demo data: ``manage.py load_demo`` and the steps other apps add to it (see registry)."""
