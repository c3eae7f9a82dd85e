"""Users, their roles and region scopes, and the organisations they belong to."""
