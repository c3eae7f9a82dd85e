"""Set the test provider up: ``python -m idp_site.provision '<json>'`` with

    {"client": {"client_id": …, "client_secret": …, "redirect_uris": [...], "post_logout_redirect_uris": [...]},
     "users": [{"username", "password", "name", "email", "gov_role", "division"}, …]}

Every part is optional and repeatable: a known client gains the new (post-logout) redirect URIs, a known person
their new password and claims. The first run also creates the RS256 signing key.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "idp_site.settings")
django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oidc_provider.models import Client, ResponseType, RSAKey  # noqa: E402


def provision(spec: dict) -> None:
    if not RSAKey.objects.exists():
        call_command("creatersakey")
    if "client" in spec:
        wanted = spec["client"]
        client, _ = Client.objects.get_or_create(
            client_id=wanted["client_id"],
            defaults={"name": "xiaozhen", "client_type": "confidential", "jwt_alg": "RS256",
                      "require_consent": False, "reuse_consent": True},
        )
        client.client_secret = wanted["client_secret"]
        client.redirect_uris = sorted(set(client.redirect_uris) | set(wanted.get("redirect_uris", [])))
        client.post_logout_redirect_uris = sorted(
            set(client.post_logout_redirect_uris) | set(wanted.get("post_logout_redirect_uris", []))
        )
        client.save()
        client.response_types.add(ResponseType.objects.get(value="code"))
    for person in spec.get("users", []):
        user, _ = User.objects.get_or_create(username=person["username"])
        user.set_password(person["password"])
        user.first_name = person.get("name", "")
        user.email = person.get("email", "")
        user.save()
        user.groups.clear()
        for key in ("gov_role", "division"):
            if person.get(key):
                user.groups.add(Group.objects.get_or_create(name=f"{key}:{person[key]}")[0])


if __name__ == "__main__":
    provision(json.loads(sys.argv[1]))
