"""小镇 xiaozhen: the pure core (no Django) of the town and zone programme platform."""

__version__ = "0.1.0"
