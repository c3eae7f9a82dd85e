"""Each app's demo steps, on the demo's side of the house: ``<app>.py`` registers with ``@demo_step``."""
