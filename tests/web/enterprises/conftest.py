"""The API test fixtures, for the enterprises API tests."""

from ..api.conftest import api_as, token_for  # noqa: F401  (fixtures)
