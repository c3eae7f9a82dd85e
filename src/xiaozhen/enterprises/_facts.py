"""Enterprise facts: one row per enterprise per year, read from CSV, XLSX or Parquet and validated.

Every problem names the file, the row as the user sees it (CSV and XLSX: the spreadsheet
row, the header being row 1; Parquet: the record number) and the column, and says what is
wrong. A file with any problem raises FactsError and nothing is returned.

Checks are vectorised (Polars), so a million rows take seconds; only failing cells are
turned into messages one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .. import safefiles
from ..codes import CREDIT_CODE_ALPHABET, credit_code_problems
from ..facts import FactsError, FactsProblem, RawTable, read_table

__all__ = [
    "ENTERPRISE_COLUMNS",
    "MAX_PARQUET_ROWS",
    "EnterpriseColumn",
    "read_enterprises",
    "validate_enterprises",
]


@dataclass(frozen=True)
class EnterpriseColumn:
    name: str
    kind: str  # "code", "text", "year", "bool", "number"
    required: bool
    zh: str
    unit: str = ""
    aliases: tuple[str, ...] = ()


#: The columns of an enterprise facts file, in order (docs/per-mu.md "Enterprise facts").
ENTERPRISE_COLUMNS: tuple[EnterpriseColumn, ...] = (
    EnterpriseColumn("credit_code", "code", True, "统一社会信用代码", aliases=("信用代码",)),
    EnterpriseColumn("name", "text", False, "企业名称", aliases=("名称",)),
    EnterpriseColumn("town_id", "text", True, "所在镇街/小镇编号", aliases=("小镇编号", "镇街编号", "编号")),
    EnterpriseColumn("county", "text", False, "县(市、区)代码", aliases=("区县代码", "县区代码")),
    EnterpriseColumn("year", "year", True, "年份", aliases=("年度",)),
    EnterpriseColumn("industry_code", "text", False, "行业代码(GB/T 4754)", aliases=("行业代码",)),
    EnterpriseColumn("above_scale", "bool", True, "规模以上", aliases=("规上企业", "是否规上")),
    EnterpriseColumn("founded_year", "year", False, "投产年份", aliases=("成立年份",)),
    EnterpriseColumn("in_construction", "bool", False, "在建", aliases=("是否在建",)),
    EnterpriseColumn("land_owned_mu", "number", True, "自有用地", "亩", ("自有用地(亩)",)),
    EnterpriseColumn("land_leased_mu", "number", False, "租赁用地", "亩", ("租赁用地(亩)",)),
    EnterpriseColumn("tax", "number", False, "税收实际贡献", "万元", ("税收(万元)", "实缴税金(万元)")),
    EnterpriseColumn("value_added", "number", False, "工业增加值", "万元", ("增加值(万元)",)),
    EnterpriseColumn("revenue", "number", False, "主营业务收入", "万元", ("营业收入(万元)", "主营业务收入(万元)")),
    EnterpriseColumn("output", "number", False, "工业总产值", "万元", ("工业总产值(万元)",)),
    EnterpriseColumn("energy", "number", False, "综合能耗", "吨标准煤", ("综合能耗(吨标准煤)",)),
    EnterpriseColumn("emissions", "number", False, "主要污染物排放当量", "吨", ("排放当量(吨)",)),
    EnterpriseColumn("employees", "number", False, "年平均职工人数", "人", ("从业人员(人)", "职工人数")),
    EnterpriseColumn("rd_spend", "number", False, "研发经费支出", "万元", ("研发经费(万元)",)),
    EnterpriseColumn("high_tech", "bool", False, "高新技术企业", aliases=("是否高企",)),
    EnterpriseColumn("rd_institution", "bool", False, "有研发机构", aliases=("是否有研发机构",)),
)
_BY_NAME = {c.name: c for c in ENTERPRISE_COLUMNS}
_HEADER_TO_NAME: dict[str, str] = {}
for _c in ENTERPRISE_COLUMNS:
    for _h in (_c.name, _c.zh, *_c.aliases):
        _HEADER_TO_NAME[_h] = _c.name
_TRUE = ["true", "yes", "y", "1", "1.0", "是", "有", "√", "t"]
_FALSE = ["false", "no", "n", "0", "0.0", "否", "无", "×", "f"]
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
#: Upper bounds that no real firm reaches: a larger value is a unit mistake (元 for 万元) or a typo.
_LIMITS = {"land_owned_mu": 1e7, "land_leased_mu": 1e7, "employees": 1e7}
_VALUE = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}
#: A Parquet file says how many rows it holds; more than this is refused before any is decoded (a few KB of
#: run-length-encoded Parquet can stand for a billion rows). A county registry holds tens of thousands.
MAX_PARQUET_ROWS = 2_000_000
#: What no stored text may hold (NUL breaks PostgreSQL, the others an XLSX export): safefiles' rule, vectorised.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"


def read_enterprises(path: str | Path) -> pl.DataFrame:
    """Read and validate an enterprise facts file (.csv, .xlsx, .parquet); raise FactsError on any problem."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        if not path.is_file():
            raise FactsError([FactsProblem(str(path), None, None, "文件不存在 / no such file")])
        _check_parquet_size(path)
        try:
            rows = pl.scan_parquet(path).select(pl.len()).collect().item()  # the footer only
            if rows > MAX_PARQUET_ROWS:
                raise FactsError([FactsProblem(str(path), None, None,
                                               f"文件声明 {rows:,} 行，超过上限 {MAX_PARQUET_ROWS:,} 行 / "
                                               f"the file declares {rows:,} rows, over the limit of {MAX_PARQUET_ROWS:,}")])
            raw = pl.read_parquet(path)
        except Exception as exc:  # polars raises several error types for a bad file
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise FactsError([FactsProblem(str(path), None, None, f"不是有效的 Parquet 文件 / not a readable Parquet file: {detail}")]) from None
        strings = raw.with_columns(pl.all().cast(pl.String))
        return validate_enterprises(strings, source=str(path), row_numbers=None, column_names={}, unit="item")
    table = read_table(path)
    return validate_enterprises(_frame_of(table), source=table.source, row_numbers=table.row_numbers,
                                column_names=table.column_names, sheet=table.sheet, unit=table.unit)


def _check_parquet_size(path: Path) -> None:
    limit = safefiles.DEFAULT_LIMITS.max_bytes
    size = path.stat().st_size
    if size > limit:
        raise FactsError([FactsProblem(str(path), None, None,
                                       f"文件大小 {size / 1048576:.1f} MB，超过上限 {limit // 1048576} MB / "
                                       f"the file is {size / 1048576:.1f} MB, over the {limit // 1048576} MB limit")])


def _frame_of(table: RawTable) -> pl.DataFrame:
    headers: list[str] = list(table.column_names) or sorted({k for r in table.records for k in r})
    data = {h: [_text(r.get(h)) for r in table.records] for h in headers}
    return pl.DataFrame(data, schema=dict.fromkeys(headers, pl.String))


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def validate_enterprises(
    raw: pl.DataFrame,
    *,
    source: str,
    row_numbers: list[int] | None,
    column_names: dict[str, str],
    sheet: str | None = None,
    unit: str = "row",
) -> pl.DataFrame:
    """Strings in, a typed frame out (see ENTERPRISE_COLUMNS), or FactsError listing every problem."""
    problems: list[FactsProblem] = []
    rename: dict[str, str] = {}
    for header in raw.columns:
        name = _HEADER_TO_NAME.get(header.strip())
        shown = column_names.get(header, header)
        if name is None:
            problems.append(FactsProblem(source, 1 if unit == "row" else None, shown,
                                         f"未知的列 / unknown column; known: {', '.join(_BY_NAME)}", sheet, unit))
        elif name in rename.values():
            problems.append(FactsProblem(source, 1 if unit == "row" else None, shown,
                                         f"与另一列同为 {name} / a second column for {name}", sheet, unit))
        else:
            rename[header] = name
    shown_of = {rename[h]: column_names.get(h, h) for h in rename}
    for col in ENTERPRISE_COLUMNS:
        if col.required and col.name not in shown_of:
            problems.append(FactsProblem(source, None, None, f"缺少必填列 {col.zh} ({col.name}) / missing required column {col.name}", sheet, unit))
    if problems:
        raise FactsError(problems)
    frame = raw.select([pl.col(h).alias(n) for h, n in rename.items()])
    frame = frame.with_columns(
        [pl.lit(None, pl.String).alias(c.name) for c in ENTERPRISE_COLUMNS if c.name not in frame.columns]
    )
    rows = pl.Series("_row", row_numbers if row_numbers is not None else range(1, frame.height + 1), dtype=pl.Int64)
    frame = frame.with_columns(rows, *[pl.col(c).str.strip_chars() for c in frame.columns if c != "_row"])

    def where(mask: pl.Expr, column: str, message: str | None = None, describe: object = None) -> None:
        bad = frame.filter(mask).select("_row", column).head(200)
        for row, value in bad.iter_rows():
            text = describe(value) if callable(describe) else message
            problems.append(FactsProblem(source, row, shown_of.get(column, column), str(text), sheet, unit))

    for column in [c for c in frame.columns if c != "_row"]:
        where(pl.col(column).str.contains(_CONTROL), column, describe=lambda v: (
            "含有不能保存的控制字符(如 NUL)，请删除后重试 / holds a control character (such as NUL) that cannot be "
            f"stored: remove it ({ascii(v)[1:-1][:60]})"))
    code = pl.col("credit_code").str.to_uppercase()
    for col in ENTERPRISE_COLUMNS:
        c = pl.col(col.name)
        if col.required:
            where(c.is_null(), col.name, f"{col.zh}不能为空 / {col.name} is required")
        if col.kind == "number":
            parsed = c.str.replace_all(",", "").cast(pl.Float64, strict=False)
            where(c.is_not_null() & parsed.is_null(), col.name,
                  describe=lambda v, col=col: f"“{v}”不是数字({col.unit}) / {v!r} is not a number ({col.unit})")
            where(parsed < 0, col.name, describe=lambda v, col=col: f"{col.zh}不能为负数：{v} / {col.name} cannot be negative: {v}")
            limit = _LIMITS.get(col.name, 1e12)
            where(parsed > limit, col.name, describe=lambda v, col=col, limit=limit:
                  f"{col.zh}“{v}”超过 {limit:,.0f}{col.unit}，请检查单位 / {col.name} {v} is above {limit:,.0f} {col.unit}: check the unit")
        elif col.kind == "year":
            parsed = c.cast(pl.Float64, strict=False)
            ok = parsed.is_not_null() & (parsed == parsed.floor()) & parsed.is_between(1949, 2100)
            where(c.is_not_null() & ~ok, col.name, describe=lambda v: f"年份应为四位整数，而不是“{v}” / a year is four digits, not {v!r}")
        elif col.kind == "bool":
            ok = c.str.to_lowercase().is_in(_TRUE + _FALSE)
            where(c.is_not_null() & ~ok, col.name, describe=lambda v: f"应为 是/否，而不是“{v}” / expected yes or no, not {v!r}")
    where(pl.col("industry_code").is_not_null() & ~pl.col("industry_code").str.contains(r"^[A-Ta-t]?\d{2,4}$"),
          "industry_code", describe=lambda v: f"行业代码应为 GB/T 4754 代码(如 C3484 或 3484)，而不是“{v}” / "
          f"an industry code is a GB/T 4754 code such as C3484 or 3484, not {v!r}")
    where(pl.col("name").str.len_chars() > 200, "name", "企业名称超过200字 / the name is longer than 200 characters")
    where(pl.col("town_id").str.len_chars() > 32, "town_id", "小镇编号超过32位 / a town code has at most 32 characters")
    # GB 32100-2015 check character, vectorised: Σ value(c_i) × 3^(i-1) mod 31.
    checksum = pl.sum_horizontal(
        [code.str.slice(i, 1).replace_strict(_VALUE, default=None, return_dtype=pl.Int64) * _WEIGHTS[i] for i in range(17)]
    )
    expected = ((31 - checksum % 31) % 31).replace_strict(dict(enumerate(CREDIT_CODE_ALPHABET)), default=None, return_dtype=pl.String)
    code_ok = code.str.contains(f"^[{CREDIT_CODE_ALPHABET}]{{18}}$") & (code.str.slice(17, 1) == expected) & code.str.slice(2, 6).str.contains(r"^\d{6}$")
    where(code.is_not_null() & ~code_ok.fill_null(False), "credit_code",
          describe=lambda v: "统一社会信用代码有误 / invalid credit code "
          f"{v}: " + "；".join(str(p) for p in credit_code_problems(v)))
    if problems:
        raise FactsError(problems)

    typed = frame.with_columns(
        code.alias("credit_code"),
        pl.col("year").cast(pl.Float64).cast(pl.Int32),
        pl.col("founded_year").cast(pl.Float64).cast(pl.Int32),
        *[pl.col(c.name).str.to_lowercase().is_in(_TRUE).alias(c.name) if c.required or c.name == "in_construction"
          else pl.when(pl.col(c.name).is_null()).then(None).otherwise(pl.col(c.name).str.to_lowercase().is_in(_TRUE)).alias(c.name)
          for c in ENTERPRISE_COLUMNS if c.kind == "bool"],
        *[pl.col(c.name).str.replace_all(",", "").cast(pl.Float64) for c in ENTERPRISE_COLUMNS if c.kind == "number"],
    ).with_columns(pl.col("in_construction").fill_null(False), pl.col("land_leased_mu").fill_null(0.0))
    _check_one_town_a_year(typed, source, shown_of, sheet, unit)
    return typed.select([c.name for c in ENTERPRISE_COLUMNS] + ["_row"])


def _check_one_town_a_year(frame: pl.DataFrame, source: str, shown_of: dict[str, str], sheet: str | None, unit: str) -> None:
    """A firm is in one town in a year: a second row for the same firm and year is an error, named."""
    repeated = (
        frame.select("credit_code", "year", "town_id", "_row")
        .filter(pl.len().over("credit_code", "year") > 1)
        .sort("_row")
    )
    if repeated.is_empty():
        return
    problems: list[FactsProblem] = []
    firsts: dict[tuple[str, int], tuple[str, int]] = {}
    for code, year, town, row in repeated.iter_rows():
        key = (code, year)
        if key not in firsts:
            firsts[key] = (town, row)
            continue
        first_town, first_row = firsts[key]
        if town != first_town:
            message = (f"企业 {code} 在 {year} 年同时属于 {first_town}(第 {first_row} 行)和 {town}，一家企业一年只能属于一个镇 / "
                       f"firm {code} is in two towns in {year}: {first_town} (row {first_row}) and {town}")
        else:
            message = (f"企业 {code} 的 {year} 年数据重复(第 {first_row} 行已有) / "
                       f"firm {code} has two rows for {year} (row {first_row} is the first)")
        problems.append(FactsProblem(source, row, shown_of.get("credit_code", "credit_code"), message, sheet, unit))
        if len(problems) >= 200:
            break
    raise FactsError(problems)
