"""Region: one node of the GB/T 2260 administrative division tree.

A GB/T 2260 code is six digits: two for the province, two for the city, two for the
county. A region's descendants are exactly the codes that start with its *scope
prefix* (2, 4 or 6 digits by level), so scoping a query to a region is one
``code__startswith`` (see accounts.permissions and docs/adr/0004).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from portal.bilingual import bi_lazy


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", bi_lazy("省级", "Province")
        CITY = "city", bi_lazy("地市级", "City")
        COUNTY = "county", bi_lazy("县级", "County")

    code = models.CharField(
        bi_lazy("行政区划代码", "GB/T 2260 code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", bi_lazy("须为6位数字", "six digits"))],
    )
    name_zh = models.CharField(bi_lazy("中文名称", "Chinese name"), max_length=64)
    name_en = models.CharField(bi_lazy("英文名称", "English name"), max_length=128)
    level = models.CharField(bi_lazy("级别", "Level"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = bi_lazy("行政区划", "Region")
        verbose_name_plural = bi_lazy("行政区划", "Regions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="province") & Q(parent__isnull=True))
                | (~Q(level="province") & Q(parent__isnull=False)),
                name="region_only_provinces_have_no_parent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name_zh} {self.name_en} ({self.code})"

    @property
    def scope_prefix(self) -> str:
        """The code prefix shared by this region and every region inside it."""
        return self.prefix_of(self.code, self.level)

    @staticmethod
    def prefix_of(code: str, level: str) -> str:
        """``scope_prefix`` for a region known only by its code and level (e.g. from ``values_list``)."""
        return code[: {"province": 2, "city": 4}.get(level, 6)]

    def contains(self, other: Region | None) -> bool:
        return other is not None and other.code.startswith(self.scope_prefix)

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str | None:
        return None if self.level == self.Level.PROVINCE else self.code[:4] + "00"

    def can_hold_towns(self) -> bool:
        """Towns sit in a county, or in a city that has no counties (东莞, 中山)."""
        if self.level == self.Level.COUNTY:
            return True
        return self.level == self.Level.CITY and not self.children.exists()
