"""Write the signals example for zhejiang-towns: 40 clean synthetic towns with one planted case per kind.

    .venv/bin/python examples/signals/make_example.py      # rewrites the CSV files beside this script

Then: .venv/bin/xiaozhen signals --policy zhejiang-towns examples/signals/facts.csv \
          --ledger examples/signals/ledger.csv --enterprises examples/signals/enterprises.csv
"""

from __future__ import annotations

import csv
from pathlib import Path

from xiaozhen.signals.synthetic import clean_case, plant

HERE = Path(__file__).resolve().parent
#: synthetic indicator → zhejiang-towns indicator (zhejiang has no cumulative figure: that kind is left out here)
COLUMNS = {"fixed_asset_investment": "investment", "housing_investment": "excluded_investment",
           "operating_revenue": "main_revenue", "tax_revenue": "tax", "visitors": "energy_consumption",
           "enterprises": "high_tech_enterprises", "patents": "listed_companies"}
PLANTS = [("spike", "T003"), ("repeated_figures", "T011"), ("round_heaping", "T017"), ("benford", "T023"),
          ("duplicate_enterprise", "T029"), ("ledger_mismatch", "T031"), ("part_exceeds_whole", "T037")]


def main() -> None:
    case = clean_case(towns=40, seed=2)
    for kind, town in PLANTS:
        case = plant(case, kind, town)
    rows: dict[tuple[str, str], dict[str, object]] = {}
    for o in case.observations:
        if o.indicator in COLUMNS:
            rows.setdefault((o.town, o.period), {"town_id": o.town, "town_name": f"示例小镇{o.town[1:]}",
                                                 "period": o.period, "basis": "actual"})[COLUMNS[o.indicator]] = o.value
    headers = ["town_id", "town_name", "period", "basis", *COLUMNS.values()]
    with (HERE / "facts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, headers)
        writer.writeheader()
        writer.writerows(rows.values())
    with (HERE / "ledger.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["town_id", "period", "indicator", "project", "amount"])
        writer.writerows([line.town, line.period, COLUMNS[line.indicator], line.project, line.amount]
                         for line in case.ledger)
    with (HERE / "enterprises.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["credit_code", "town_id", "year", "name"])
        writer.writerows([c.credit_code, c.town, c.year, c.name] for c in case.enterprises)


if __name__ == "__main__":
    main()
