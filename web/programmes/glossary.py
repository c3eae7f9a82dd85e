"""The core's glossary (xiaozhen.glossary) for pages: the programmes in force, as one vocabulary.

A verdict stored in the database keeps names (``cum_counted_investment``) and values; a page shows
each with its label and unit (累计计入投资 29.77 亿元). Pages that mix programmes use the glossary of
every programme in force; it is rebuilt only when a programme's current version changes.
"""

from __future__ import annotations

from xiaozhen.glossary import Glossaries, Glossary

from .models import Programme, ProgrammeVersion
from .selectors import programmes_in_force

_CACHE: dict[tuple[str, ...], Glossaries] = {}


def programmes_glossary() -> Glossaries:
    """Every programme in force, as one glossary (one small query; the policies are read once)."""
    hashes = tuple(sorted(p.version.content_hash for p in programmes_in_force(active_only=False)))
    found = _CACHE.get(hashes)
    if found is None:
        versions = ProgrammeVersion.objects.filter(programme__current_version__content_hash__in=hashes,
                                                   content_hash__in=hashes).order_by("programme__policy_id")
        found = _CACHE[hashes] = Glossaries(v.policy for v in versions)
    return found


def glossary_of(programme: Programme) -> Glossary:
    return Glossary(programme.policy)
