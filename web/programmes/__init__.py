"""Programmes and their versions, loaded from the policy files under policies/."""
