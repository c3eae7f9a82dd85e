"""Published lists (名单): the rules a list must keep, with no database.

So far one rule: **one sub-sector, one town** (003 §三(一) 每个细分产业只培育创建一个特色小镇).
A programme opts in with ``lifecycle.unique_sub_sector`` in its file; the web platform
calls :func:`sub_sector_conflicts` when a town is enrolled and when a list is published.
"""

from ._sub_sectors import Holder, SubSectorConflict, holders_of, sub_sector_conflicts

__all__ = ["Holder", "SubSectorConflict", "holders_of", "sub_sector_conflicts"]
