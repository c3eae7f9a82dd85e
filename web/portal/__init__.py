"""The site shell: layout, language, dashboards, error pages and bilingual text helpers."""
