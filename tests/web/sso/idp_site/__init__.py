"""A small, real OpenID Connect provider for the single sign-on tests: django-oidc-provider in its own
Django project (settings, SQLite file, process), standing in for the government login.

A person's role and division are Django groups ``gov_role:<value>`` and ``division:<code>``; the
``gov`` scope carries them as the claims ``gov_role`` and ``division`` (claims.py). ``provision.py``
creates the signing key, the client and the people; tests/web/sso/provider.py starts the server.
"""
