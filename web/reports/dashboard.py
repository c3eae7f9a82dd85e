"""Dashboard panels and navigation of the reports app (registered from ReportsConfig.ready)."""
