"""The regions xiaozhen ships: the provinces the programmes cover, with real GB/T 2260 codes.

Applied by migration 0002 through ``apply``; to add regions, append rows here and add a
migration that calls ``apply`` again (it is idempotent: it updates names, never deletes).
Codes are the current ones (e.g. 横州市 450181 since 2021, 崇川区 320613 since 2020).
"""

from __future__ import annotations

from typing import Any

# (code, 中文名, English name). Level and parent follow from the code's shape and order.
PROVINCES: list[tuple[str, str, str, list[tuple[str, str, str, list[tuple[str, str, str]]]]]] = [
    ("320000", "江苏省", "Jiangsu", [
        ("320100", "南京市", "Nanjing", [
            ("320102", "玄武区", "Xuanwu"), ("320104", "秦淮区", "Qinhuai"),
            ("320105", "建邺区", "Jianye"), ("320106", "鼓楼区", "Gulou"),
            ("320115", "江宁区", "Jiangning"), ("320117", "溧水区", "Lishui"),
        ]),
        ("320200", "无锡市", "Wuxi", [
            ("320205", "锡山区", "Xishan"), ("320206", "惠山区", "Huishan"),
            ("320211", "滨湖区", "Binhu"), ("320281", "江阴市", "Jiangyin"),
            ("320282", "宜兴市", "Yixing"),
        ]),
        ("320500", "苏州市", "Suzhou", [
            ("320506", "吴中区", "Wuzhong"), ("320507", "相城区", "Xiangcheng"),
            ("320509", "吴江区", "Wujiang"), ("320581", "常熟市", "Changshu"),
            ("320583", "昆山市", "Kunshan"),
        ]),
        ("320600", "南通市", "Nantong", [
            ("320612", "通州区", "Tongzhou"), ("320613", "崇川区", "Chongchuan"),
            ("320614", "海门区", "Haimen"), ("320623", "如东县", "Rudong"),
            ("320681", "启东市", "Qidong"), ("320682", "如皋市", "Rugao"),
            ("320685", "海安市", "Hai'an"),
        ]),
    ]),
    ("330000", "浙江省", "Zhejiang", [
        ("330100", "杭州市", "Hangzhou", [
            ("330102", "上城区", "Shangcheng"), ("330105", "拱墅区", "Gongshu"),
            ("330106", "西湖区", "Xihu"), ("330108", "滨江区", "Binjiang"),
            ("330109", "萧山区", "Xiaoshan"), ("330110", "余杭区", "Yuhang"),
            ("330111", "富阳区", "Fuyang"), ("330112", "临安区", "Lin'an"),
            ("330113", "临平区", "Linping"), ("330122", "桐庐县", "Tonglu"),
        ]),
        ("330200", "宁波市", "Ningbo", [
            ("330206", "北仑区", "Beilun"), ("330212", "鄞州区", "Yinzhou"),
            ("330213", "奉化区", "Fenghua"), ("330281", "余姚市", "Yuyao"),
            ("330282", "慈溪市", "Cixi"),
        ]),
        ("330400", "嘉兴市", "Jiaxing", [
            ("330421", "嘉善县", "Jiashan"), ("330481", "海宁市", "Haining"),
            ("330483", "桐乡市", "Tongxiang"),
        ]),
        ("330500", "湖州市", "Huzhou", [
            ("330502", "吴兴区", "Wuxing"), ("330521", "德清县", "Deqing"),
            ("330523", "安吉县", "Anji"),
        ]),
        ("330600", "绍兴市", "Shaoxing", [
            ("330602", "越城区", "Yuecheng"), ("330603", "柯桥区", "Keqiao"),
            ("330681", "诸暨市", "Zhuji"),
        ]),
        ("330700", "金华市", "Jinhua", [
            ("330782", "义乌市", "Yiwu"), ("330783", "东阳市", "Dongyang"),
            ("330784", "永康市", "Yongkang"),
        ]),
        ("331100", "丽水市", "Lishui", [
            ("331102", "莲都区", "Liandu"), ("331181", "龙泉市", "Longquan"),
        ]),
    ]),
    ("440000", "广东省", "Guangdong", [
        ("440100", "广州市", "Guangzhou", [
            ("440106", "天河区", "Tianhe"), ("440112", "黄埔区", "Huangpu"),
            ("440113", "番禺区", "Panyu"), ("440114", "花都区", "Huadu"),
            ("440115", "南沙区", "Nansha"), ("440118", "增城区", "Zengcheng"),
        ]),
        ("440300", "深圳市", "Shenzhen", [
            ("440305", "南山区", "Nanshan"), ("440306", "宝安区", "Bao'an"),
            ("440307", "龙岗区", "Longgang"),
        ]),
        ("440600", "佛山市", "Foshan", [
            ("440604", "禅城区", "Chancheng"), ("440605", "南海区", "Nanhai"),
            ("440606", "顺德区", "Shunde"), ("440607", "三水区", "Sanshui"),
            ("440608", "高明区", "Gaoming"),
        ]),
        ("440700", "江门市", "Jiangmen", [
            ("440705", "新会区", "Xinhui"), ("440781", "台山市", "Taishan"),
            ("440783", "开平市", "Kaiping"), ("440784", "鹤山市", "Heshan"),
        ]),
        # Cities without counties (不设区的地级市): towns sit directly under the city.
        ("441900", "东莞市", "Dongguan", []),
        ("442000", "中山市", "Zhongshan", []),
        ("445100", "潮州市", "Chaozhou", [
            ("445102", "湘桥区", "Xiangqiao"), ("445103", "潮安区", "Chao'an"),
            ("445122", "饶平县", "Raoping"),
        ]),
    ]),
    ("450000", "广西壮族自治区", "Guangxi", [
        ("450100", "南宁市", "Nanning", [
            ("450102", "兴宁区", "Xingning"), ("450103", "青秀区", "Qingxiu"),
            ("450105", "江南区", "Jiangnan"), ("450107", "西乡塘区", "Xixiangtang"),
            ("450108", "良庆区", "Liangqing"), ("450109", "邕宁区", "Yongning"),
            ("450110", "武鸣区", "Wuming"), ("450126", "宾阳县", "Binyang"),
            ("450181", "横州市", "Hengzhou"),
        ]),
        ("450200", "柳州市", "Liuzhou", [
            ("450202", "城中区", "Chengzhong"), ("450203", "鱼峰区", "Yufeng"),
            ("450204", "柳南区", "Liunan"), ("450205", "柳北区", "Liubei"),
            ("450206", "柳江区", "Liujiang"), ("450223", "鹿寨县", "Luzhai"),
        ]),
        ("450300", "桂林市", "Guilin", [
            ("450305", "七星区", "Qixing"), ("450312", "临桂区", "Lingui"),
            ("450321", "阳朔县", "Yangshuo"), ("450323", "灵川县", "Lingchuan"),
        ]),
        ("450400", "梧州市", "Wuzhou", [
            ("450403", "万秀区", "Wanxiu"), ("450405", "长洲区", "Changzhou"),
            ("450406", "龙圩区", "Longxu"), ("450481", "岑溪市", "Cenxi"),
        ]),
        ("450500", "北海市", "Beihai", [
            ("450502", "海城区", "Haicheng"), ("450503", "银海区", "Yinhai"),
            ("450512", "铁山港区", "Tieshangang"), ("450521", "合浦县", "Hepu"),
        ]),
        ("450900", "玉林市", "Yulin", [
            ("450902", "玉州区", "Yuzhou"), ("450903", "福绵区", "Fumian"),
            ("450981", "北流市", "Beiliu"),
        ]),
    ]),
]


def rows() -> list[tuple[str, str, str, str, str | None]]:
    """Every region as (code, name_zh, name_en, level, parent_code), parents first."""
    out: list[tuple[str, str, str, str, str | None]] = []
    for p_code, p_zh, p_en, cities in PROVINCES:
        out.append((p_code, p_zh, p_en, "province", None))
        for c_code, c_zh, c_en, counties in cities:
            out.append((c_code, c_zh, c_en, "city", p_code))
            for k_code, k_zh, k_en in counties:
                out.append((k_code, k_zh, k_en, "county", c_code))
    return out


def apply(region_model: Any) -> int:
    """Create or update every shipped region (idempotent); return how many were created."""
    created = 0
    by_code: dict[str, Any] = {}
    for code, name_zh, name_en, level, parent_code in rows():
        obj, was_created = region_model.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "level": level,
                "parent": by_code.get(parent_code) if parent_code else None,
            },
        )
        by_code[code] = obj
        created += was_created
    return created
