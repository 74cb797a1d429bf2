"""The seed's site cluster: the Inner Mongolia government's department directory and S&T footer.

Names are exactly as on the seed page. Addresses are the departments' public sites; an entry
whose address is not known has none and shows as plain text.
"""

ORGANISATION_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "自治区政府组成部门",
        [
            ("发展和改革委员会", "https://fgw.nmg.gov.cn/"),
            ("教育厅", "https://jyt.nmg.gov.cn/"),
            ("科学技术厅", "https://kjt.nmg.gov.cn/"),
            ("工业和信息化厅", "https://gxt.nmg.gov.cn/"),
            ("民族事务委员会", "https://mw.nmg.gov.cn/"),
            ("公安厅", "https://gat.nmg.gov.cn/"),
            ("民政厅", "https://mzt.nmg.gov.cn/"),
            ("司法厅", "https://sft.nmg.gov.cn/"),
            ("财政厅", "https://czt.nmg.gov.cn/"),
            ("人力资源和社会保障厅", "https://rst.nmg.gov.cn/"),
            ("自然资源厅", "https://zrzy.nmg.gov.cn/"),
            ("住房和城乡建设厅", "https://zjt.nmg.gov.cn/"),
            ("生态环境厅", "https://sthjt.nmg.gov.cn/"),
            ("交通运输厅", "https://jtyst.nmg.gov.cn/"),
            ("水利厅", "https://slt.nmg.gov.cn/"),
            ("农牧厅", "https://nmt.nmg.gov.cn/"),
            ("商务厅", "https://swt.nmg.gov.cn/"),
            ("文化和旅游厅", "https://wlt.nmg.gov.cn/"),
            ("卫生健康委员会", "https://wjw.nmg.gov.cn/"),
            ("退役军人事务厅", "https://tyjrswt.nmg.gov.cn/"),
            ("应急管理厅", "https://yjglt.nmg.gov.cn/"),
            ("审计厅", "https://sjt.nmg.gov.cn/"),
        ],
    ),
    ("自治区直属特设机构", [("国有资产监督管理委员会", "https://gzw.nmg.gov.cn/")]),
    (
        "自治区直属机构",
        [
            ("市场监督管理局", "https://amr.nmg.gov.cn/"),
            ("林业和草原局", "https://lcj.nmg.gov.cn/"),
            ("广播电视局", "https://gdj.nmg.gov.cn/"),
            ("体育局", "https://tyj.nmg.gov.cn/"),
            ("统计局", "https://tj.nmg.gov.cn/"),
            ("能源局", "https://nyj.nmg.gov.cn/"),
            ("地方金融管理局", "https://jrj.nmg.gov.cn/"),
            ("国防动员办公室", ""),
            ("医保局", "https://ylbzj.nmg.gov.cn/"),
            ("信访局", "https://xfj.nmg.gov.cn/"),
        ],
    ),
]

PROVINCIAL_STI_SITES: list[tuple[str, str]] = [
    ("北京", "https://kw.beijing.gov.cn/"),
    ("天津", "https://kxjs.tj.gov.cn/"),
    ("河北", "https://kjt.hebei.gov.cn/"),
    ("山西", "https://kjt.shanxi.gov.cn/"),
    ("辽宁", "https://kjt.ln.gov.cn/"),
    ("吉林", "http://kjt.jl.gov.cn/"),
    ("黑龙江", "http://kjt.hlj.gov.cn/"),
    ("上海", "https://stcsm.sh.gov.cn/"),
    ("江苏", "https://kxjst.jiangsu.gov.cn/"),
    ("浙江", "https://kjt.zj.gov.cn/"),
    ("安徽", "https://kjt.ah.gov.cn/"),
    ("福建", "https://kjt.fujian.gov.cn/"),
    ("江西", "http://kjt.jiangxi.gov.cn/"),
    ("山东", "http://kjt.shandong.gov.cn/"),
    ("河南", "https://kjt.henan.gov.cn/"),
    ("湖北", "https://kjt.hubei.gov.cn/"),
    ("湖南", "https://kjt.hunan.gov.cn/"),
    ("广东", "https://gdstc.gd.gov.cn/"),
    ("广西", "http://kjt.gxzf.gov.cn/"),
    ("海南", "https://dost.hainan.gov.cn/"),
    ("重庆", "https://kjj.cq.gov.cn/"),
    ("四川", "https://kjt.sc.gov.cn/"),
    ("贵州", "https://kjt.guizhou.gov.cn/"),
    ("云南", "https://kjt.yn.gov.cn/"),
    ("西藏", "http://kjt.xizang.gov.cn/"),
    ("陕西", "https://kjt.shaanxi.gov.cn/"),
    ("甘肃", "https://kjt.gansu.gov.cn/"),
    ("青海", "https://kjt.qinghai.gov.cn/"),
    ("宁夏", "https://kjt.nx.gov.cn/"),
    ("新疆", "https://kjt.xinjiang.gov.cn/"),
    ("香港", "https://www.itib.gov.hk/"),
]

LEAGUE_CITY_STI_SITES: list[tuple[str, str]] = [
    ("呼和浩特市", ""),
    ("包头市", ""),
    ("赤峰市", ""),
    ("兴安盟", ""),
    ("通辽市", ""),
    ("巴彦淖尔市", ""),
    ("乌海市", ""),
    ("乌兰察布市", ""),
    ("阿拉善盟", ""),
    ("锡林郭勒盟", ""),
    ("呼伦贝尔市", ""),
    ("鄂尔多斯市", ""),
]

KJT_FOOTER_LINKS = [
    ("中国政府网", "https://www.gov.cn/", []),
    ("科学技术部", "https://www.most.gov.cn/", []),
    ("内蒙古自治区政府网", "https://www.nmg.gov.cn/", []),
    ("各省科技厅网", "", PROVINCIAL_STI_SITES),
    ("各盟市科技网", "", LEAGUE_CITY_STI_SITES),
]
