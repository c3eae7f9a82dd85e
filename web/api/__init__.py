"""The open REST API for local platforms (django-ninja, mounted at /api/).

Tokens act as their user — the same role and region scope, never more. See docs/api.md.
"""
