"""Default wording of each party's rights and duties in the three-party contract, taken from
the seed's own words (004 §三1, §三5, §三6); the provincial officer edits them when drafting."""

PROVINCE_DUTIES = (
    "根据需求和可能拨出经费支持本项目(004 §三6)；通过专家工作组指导制定创新规划、指导开展实施工作(004 §三1)；"
    "实施期满后组织验收，或委托市(县)科技主管部门组织验收(004 §三6)。\n"
    "Funds the project as needs and means allow (004 §三6); guides the innovation plan and its implementation "
    "through the expert group (004 §三1); organises the acceptance after the term, or delegates it to the "
    "city/county S&T department (004 §三6)."
)
LOCAL_DUTIES = (
    "归口管理本地区创新示范专业镇工作(004 §三1)；安排配套经费支持本项目(004 §三6)；督促检查项目实施，"
    "受委托时组织验收(004 §三6)。\n"
    "Manages the demonstration towns of its area (004 §三1); provides matching funds (004 §三6); follows the "
    "project's implementation and organises the acceptance when delegated (004 §三6)."
)
TOWN_DUTIES = (
    "制定创新规划并组织实施(004 §三1)；安排配套经费，经费使用严格按照科技经费有关管理规定执行(004 §三6)；"
    "按年度报告项目进展；实施期满后向省科技厅提出验收申请(004 §三6)。\n"
    "Draws up the innovation plan and carries it out (004 §三1); provides matching funds and uses all funds "
    "under the S&T funding rules (004 §三6); reports progress every year; applies for acceptance to the "
    "provincial S&T department once the term is over (004 §三6)."
)
