from django.apps import AppConfig


class IndustryChainsConfig(AppConfig):
    name = "industry_chains"
    verbose_name = "产业链全景图 / Industry-chain panorama"
