"""The claims the test provider gives: the standard name and e-mail, and the ``gov`` scope."""

from oidc_provider.lib.claims import ScopeClaims

GOV_CLAIMS = ("gov_role", "division")


def userinfo(claims, user):
    claims["name"] = user.first_name
    claims["preferred_username"] = user.username
    claims["email"] = user.email
    return claims


def gov_claims(user) -> dict[str, str]:
    claims = {}
    for name in user.groups.values_list("name", flat=True):
        key, _, value = name.partition(":")
        if key in GOV_CLAIMS:
            claims[key] = value
    return claims


class GovernmentClaims(ScopeClaims):
    info_gov = ("Government role", "Your role and administrative division.")

    def scope_gov(self):
        return gov_claims(self.user)
