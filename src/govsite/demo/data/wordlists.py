"""Word lists and templates for generated demo articles (`govsite demo --articles N`).

The generator fills the templates' {slots} from these lists. The mix is deliberate: Inner
Mongolia place names, policy vocabulary, company names and mixed terms such as TD-LTE, 5G or
稀土 appear mid-sentence, so search benchmarks have realistic words to look for.
"""

# --- the column tree of a generated department site --------------------------------------------
# (slug, title, ColumnType value, show_on_home, weight, template kind, children).
# Only leaf columns receive articles; `weight` is their share of a site's articles.
ColumnSpec = tuple[str, str, str, bool, int, str, list["ColumnSpec"]]

COLUMN_TREE: list[ColumnSpec] = [
    (
        "xwdt",
        "新闻动态",
        "工作动态",
        True,
        0,
        "",
        [
            ("gzdt", "工作动态", "工作动态", True, 30, "news", []),
            ("mtjj", "媒体聚焦", "工作动态", False, 10, "media", []),
            ("jcdt", "基层动态", "工作动态", False, 12, "local", []),
        ],
    ),
    (
        "zwgk",
        "政务公开",
        "信息公开目录",
        True,
        0,
        "",
        [
            ("tzgg", "通知公告", "通知公告", True, 14, "notice", []),
            ("zcwj", "政策文件", "政策文件", False, 7, "policy", []),
            ("zcjd", "政策解读", "政策解读", False, 6, "interpretation", []),
            ("rsxx", "人事信息", "信息公开目录", False, 3, "personnel", []),
            ("sjfb", "数据发布", "数据发布", False, 4, "data", []),
        ],
    ),
    (
        "zwfw",
        "政务服务",
        "办事服务",
        False,
        0,
        "",
        [("bszn", "办事指南", "办事服务", False, 3, "service", [])],
    ),
    (
        "hdjl",
        "互动交流",
        "咨询投诉",
        False,
        0,
        "",
        [
            ("zjdc", "征集调查", "征集调查", False, 2, "survey", []),
            ("zxft", "在线访谈", "在线访谈", False, 1, "interview", []),
            ("hygz", "回应关切", "回应关切", False, 3, "response", []),
        ],
    ),
    (
        "ztzl",
        "专题专栏",
        "专题专栏",
        False,
        0,
        "",
        [
            ("yhyshj", "优化营商环境", "专题专栏", False, 3, "news", []),
            ("xczx", "乡村振兴", "专题专栏", False, 2, "news", []),
        ],
    ),
]

# --- vocabulary -----------------------------------------------------------------------------
CITIES = [  # the 12 leagues and cities (盟市)
    "呼和浩特市",
    "包头市",
    "呼伦贝尔市",
    "兴安盟",
    "通辽市",
    "赤峰市",
    "锡林郭勒盟",
    "乌兰察布市",
    "鄂尔多斯市",
    "巴彦淖尔市",
    "乌海市",
    "阿拉善盟",
]

# Banners, counties and districts (旗县市区) of each league or city, for {county}.
COUNTIES: dict[str, list[str]] = {
    "呼和浩特市": ["新城区", "回民区", "玉泉区", "赛罕区", "土默特左旗", "托克托县", "和林格尔县", "武川县"],
    "包头市": ["昆都仑区", "青山区", "东河区", "九原区", "白云鄂博矿区", "达尔罕茂明安联合旗", "固阳县"],
    "呼伦贝尔市": [
        "海拉尔区",
        "满洲里市",
        "扎兰屯市",
        "牙克石市",
        "根河市",
        "额尔古纳市",
        "莫力达瓦达斡尔族自治旗",
    ],
    "兴安盟": ["乌兰浩特市", "阿尔山市", "科尔沁右翼前旗", "扎赉特旗", "突泉县"],
    "通辽市": ["科尔沁区", "霍林郭勒市", "开鲁县", "库伦旗", "奈曼旗", "扎鲁特旗"],
    "赤峰市": ["红山区", "松山区", "元宝山区", "宁城县", "克什克腾旗", "巴林左旗", "敖汉旗"],
    "锡林郭勒盟": ["锡林浩特市", "二连浩特市", "正蓝旗", "多伦县", "东乌珠穆沁旗", "苏尼特右旗"],
    "乌兰察布市": ["集宁区", "丰镇市", "察哈尔右翼前旗", "四子王旗", "化德县", "卓资县"],
    "鄂尔多斯市": [
        "东胜区",
        "康巴什区",
        "达拉特旗",
        "准格尔旗",
        "鄂托克旗",
        "伊金霍洛旗",
        "乌审旗",
        "杭锦旗",
    ],
    "巴彦淖尔市": ["临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗", "杭锦后旗"],
    "乌海市": ["海勃湾区", "乌达区", "海南区"],
    "阿拉善盟": ["阿拉善左旗", "阿拉善右旗", "额济纳旗"],
}

TOPICS = [
    "优化营商环境",
    "乡村振兴",
    "生态环境保护",
    "黄河流域生态保护和高质量发展",
    "“放管服”改革",
    "数字政府建设",
    "“一网通办”",
    "安全生产",
    "疫情防控常态化",
    "稳就业保民生",
    "科技成果转化",
    "民族团结进步",
    "铸牢中华民族共同体意识",
    "防沙治沙",
    "草原生态保护补助奖励",
    "政务公开",
    "政务服务“好差评”",
    "耕地保护",
    "河湖长制",
    "能源保供",
    "招商引资",
    "项目建设",
    "信用体系建设",
    "法治政府建设",
    "巡视整改",
    "作风建设",
    "民生实事",
    "高标准农田建设",
    "城乡供水保障",
    "养老服务体系建设",
    "校园安全",
    "粮食安全",
    "森林草原防灭火",
    "双拥共建",
    "普法宣传",
]

TECH_TERMS = [
    "5G",
    "TD-LTE",
    "5G-A",
    "IPv6",
    "稀土",
    "稀土永磁",
    "稀土功能材料",
    "氢能",
    "风电",
    "光伏",
    "新型储能",
    "特高压",
    "大数据",
    "云计算",
    "人工智能",
    "区块链",
    "物联网",
    "北斗导航",
    "工业互联网",
    "“东数西算”",
    "算力",
    "数据中心",
    "新能源汽车",
    "碳达峰碳中和",
    "CCUS",
    "石墨烯",
    "现代煤化工",
    "智慧农牧业",
    "乳业",
    "马铃薯种业",
    "肉牛",
    "羊绒",
    "蒙中医药",
    "生物制造",
    "低空经济",
]

INDUSTRIES = [
    "现代能源经济",
    "新材料产业",
    "装备制造业",
    "绿色农畜产品加工业",
    "文化旅游业",
    "现代物流业",
    "数字经济",
    "现代服务业",
    "生物医药产业",
    "清洁能源产业",
]

COMPANIES = [
    "包钢集团",
    "北方稀土",
    "伊利集团",
    "蒙牛乳业",
    "鄂尔多斯集团",
    "伊泰集团",
    "内蒙古电力集团",
    "中国移动内蒙古公司",
    "中国联通内蒙古分公司",
    "中国电信内蒙古分公司",
    "华为技术有限公司",
    "远景科技集团",
    "金风科技",
    "TCL中环",
    "通威股份",
    "隆基绿能",
    "国家电投内蒙古公司",
    "华能北方联合电力",
    "一机集团",
    "北奔重汽",
    "小肥羊",
    "鹿城银行",
    "蒙商银行",
    "内蒙古农村信用社联合社",
]

INSTITUTIONS = [
    "内蒙古大学",
    "内蒙古工业大学",
    "内蒙古农业大学",
    "内蒙古科技大学",
    "内蒙古师范大学",
    "内蒙古医科大学",
    "内蒙古民族大学",
    "中国科学院包头稀土研发中心",
    "鄂尔多斯实验室",
    "呼和浩特经济技术开发区",
    "包头稀土高新技术产业开发区",
    "自治区科学技术协会",
]

NATIONAL_AGENCIES = [
    "国家发展改革委",
    "科技部",
    "工业和信息化部",
    "财政部",
    "自然资源部",
    "生态环境部",
    "农业农村部",
    "商务部",
    "国家能源局",
    "国家市场监督管理总局",
    "国务院办公厅",
]

MEDIA = [
    "内蒙古日报",
    "北方新报",
    "内蒙古新闻网",
    "正北方网",
    "内蒙古广播电视台",
    "人民日报",
    "新华社",
    "经济日报",
    "科技日报",
    "光明日报",
    "中国青年报",
    "央视新闻",
]

ROLES = [
    "党组书记",
    "主要负责同志",
    "党组成员、副职负责同志",
    "分管负责同志",
    "驻厅纪检监察组组长",
    "机关党委书记",
]

MEETINGS = [
    "工作会议",
    "推进会",
    "座谈会",
    "专题培训班",
    "现场观摩会",
    "调度会",
    "联席会议",
    "警示教育大会",
    "新闻发布会",
    "理论学习中心组学习会",
]

VERBS = [
    "扎实推进",
    "统筹推进",
    "全面落实",
    "持续深化",
    "加快推进",
    "着力强化",
    "稳步推进",
    "大力实施",
    "不断完善",
    "积极探索",
]

ACHIEVEMENTS = [
    "取得新进展",
    "取得阶段性成效",
    "实现良好开局",
    "跑出“加速度”",
    "迈上新台阶",
    "成效显著",
    "亮点纷呈",
    "再创新高",
]

SERVICE_ITEMS = [
    "高新技术企业认定",
    "科技型中小企业评价",
    "建设工程规划许可",
    "社会团体登记",
    "民办学校设立审批",
    "药品经营许可",
    "食品生产许可",
    "取水许可",
    "道路运输经营许可",
    "建筑业企业资质核准",
    "医师执业注册",
    "社会保险登记",
    "技术合同认定登记",
    "林草种子生产经营许可",
    "排污许可",
    "危险化学品经营许可",
]

STATISTICS = [
    "规模以上工业增加值",
    "固定资产投资",
    "社会消费品零售总额",
    "城镇新增就业人数",
    "技术合同成交额",
    "5G基站建设",
    "稀土产品产量",
    "新能源装机容量",
    "一般公共预算收入",
    "外贸进出口总额",
]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文辉力宁斌志鹏飞亮红玉兰春晓雪"
    "梅海波峰宇浩然鑫晨阳凯旭东巴特尔乌兰其其格"
)

# --- title templates by column kind -------------------------------------------------------------
# Slots: {agency} the site's department (自治区…), {city} {county} {topic} {tech} {industry} {company}
# {institution} {national} {media} {role} {meeting} {verb} {achievement} {item} {stat} {year}
# {year2} {month} {num} {pct} {name}.
TITLE_TEMPLATES: dict[str, list[str]] = {
    "news": [
        "{agency}召开{topic}{meeting}",
        "{agency}{role}赴{city}调研{topic}工作",
        "{agency}{verb}{topic}工作",
        "{agency}举办{tech}应用{meeting}",
        "{agency}与{company}签署{tech}战略合作协议",
        "{agency}部署{year}年{topic}重点任务",
        "{agency}开展{topic}专项督查",
        "{agency}组织收看{national}{topic}电视电话会议",
        "全区{topic}工作{achievement}",
        "{agency}召开{year}年度党风廉政建设{meeting}",
        "{city}{tech}产业项目集中开工 总投资{num}亿元",
        "{agency}赴{institution}开展{tech}产学研对接活动",
    ],
    "media": [
        "{city}：{tech}赋能{industry}高质量发展",
        "{company}{tech}项目在{city}投产",
        "{city}{verb}{topic}",
        "草原上的“{tech}”：{county}的新探索",
        "{city}{industry}{achievement}",
        "{tech}+{industry}：{city}走出转型新路子",
        "{institution}{tech}研究成果通过专家验收",
        "内蒙古{stat}同比增长{pct}%",
    ],
    "local": [
        "{city}{county}{verb}{topic}",
        "{city}召开{topic}{meeting}",
        "{county}{topic}工作{achievement}",
        "{city}{county}{tech}示范项目建成投用",
        "{city}开展{topic}宣传月活动",
        "{county}多措并举推进{topic}",
    ],
    "notice": [
        "关于开展{year}年度{topic}工作的通知",
        "关于组织申报{year}年度{tech}专项项目的通知",
        "关于公布{year}年{topic}示范单位名单的公示",
        "关于{item}事项办理有关事宜的公告",
        "关于举办{tech}专题培训的通知",
        "关于做好{year}年{topic}有关工作的通知",
        "关于征集{year}年度{industry}重点项目的通知",
        "{agency}关于{topic}检查情况的通报",
    ],
    "policy": [
        "内蒙古自治区{topic}管理办法",
        "关于加快推进{tech}产业发展的实施意见",
        "{agency}关于印发《{topic}三年行动方案（{year}—{year2}年）》的通知",
        "内蒙古自治区{industry}发展规划（{year}—{year2}年）",
        "关于进一步{verb}{topic}的若干措施",
        "{agency}关于印发《{item}工作规程》的通知",
    ],
    "interpretation": [
        "《内蒙古自治区{topic}管理办法》政策解读",
        "一图读懂《关于加快推进{tech}产业发展的实施意见》",
        "《{topic}三年行动方案（{year}—{year2}年）》解读",
        "{agency}{role}解读{topic}新政",
        "图解：{year}年{topic}政策要点",
    ],
    "personnel": [
        "{agency}{year}年公开招聘事业单位工作人员公告",
        "关于{name}等同志任职前公示",
        "{agency}{year}年度公开遴选公务员拟遴选人员名单公示",
        "{agency}所属事业单位{year}年公开招聘拟聘用人员公示",
    ],
    "data": [
        "{year}年{month}月全区{stat}情况",
        "{year}年全区{stat}统计公报",
        "{year}年{month}月{city}{stat}数据",
        "{year}年第{quarter}季度{topic}工作数据",
    ],
    "service": [
        "{item}办事指南",
        "{item}（变更）办事指南",
        "{item}（延续）办事指南",
        "{item}“跨省通办”办事指南",
    ],
    "survey": [
        "关于《{topic}管理办法（征求意见稿）》公开征求意见的公告",
        "{year}年{topic}满意度问卷调查",
        "关于征集{year}年{topic}民生实事建议的公告",
        "{tech}产业发展需求调查问卷",
    ],
    "interview": [
        "{agency}负责同志解读{topic}在线访谈",
        "聚焦{tech}：{agency}在线访谈",
        "“{topic}”政务在线访谈（第{quarter}期）",
    ],
    "response": [
        "关于网民反映{city}{county}{topic}问题的回复",
        "关于{year}年度{topic}留言办理情况的公开答复",
        "关于{tech}项目建设有关问题的回应",
        "对“{item}办理时限”网民留言的答复",
    ],
}

# --- body sentences ---------------------------------------------------------------------------
OPENINGS = [
    "{month}月{day}日，{agency}召开{topic}{meeting}，传达学习上级有关会议精神，安排部署下一阶段工作。",
    "近日，{agency}{role}带队赴{city}{county}，就{topic}和{tech}产业发展情况开展专题调研。",
    "为{verb}{topic}，{agency}于{month}月{day}日在{city}组织召开{meeting}。",
    "{year}年以来，{city}坚持把{topic}作为重要抓手，{verb}各项工作，{achievement}。",
    "记者从{agency}获悉，截至{year}年{month}月底，全区{stat}同比增长{pct}%。",
    "{month}月{day}日，{agency}与{company}在呼和浩特签署战略合作协议，双方将在{tech}、{industry}等领域深化合作。",
]

SENTENCES = [
    "会议指出，{topic}事关全区发展大局，各地各部门要提高政治站位，压实工作责任。",
    "{city}累计建成{tech}基站{num}个，实现{county}等重点区域连续覆盖。",
    "全年完成投资{num}亿元，同比增长{pct}%，高于全区平均水平。",
    "{company}依托{tech}技术建设的示范项目已在{county}投入运行，年产值预计超过{num}亿元。",
    "{institution}联合{company}组建{tech}创新联合体，围绕关键核心技术开展攻关。",
    "调研组一行先后走访了{county}的{num2}家企业和{num3}个项目现场，详细了解{topic}推进情况。",
    "下一步，{agency}将{verb}{topic}，加快{industry}转型升级。",
    "据统计，{year}年全区{stat}达到{num}亿元，占全国比重进一步提升。",
    "围绕{tech}、{tech2}等重点领域，{city}出台了{num2}项配套政策措施。",
    "与会人员结合{topic}工作实际，就{tech}推广应用中遇到的问题进行了深入交流。",
    "{national}有关司局负责同志对内蒙古{topic}工作给予充分肯定。",
    "{county}探索“{tech}+{industry}”模式，带动{num3}余户农牧民增收。",
    "截至目前，{city}已有{num3}家企业入驻{institution}，{tech}产业集群初具规模。",
    "要坚持问题导向，聚焦{topic}中的难点堵点，拿出务实管用的举措。",
    "活动期间，共发放宣传资料{num3}余份，解答群众咨询{num2}百余人次。",
    "{agency}相关处室负责同志对{item}办理流程进行了详细说明。",
    "今年前{month}个月，{city}{stat}完成{num}亿元，同比增长{pct}%。",
    "会议要求，各盟市要对标对表年度目标任务，确保{topic}各项工作落地见效。",
    "{company}技术负责人介绍，项目采用{tech}与{tech2}融合方案，能耗降低{pct}%。",
    "据了解，{city}{industry}规模以上企业已达到{num3}家，稀土、{tech}等特色产业链不断延伸。",
]

SERVICE_SENTENCES = [
    "一、事项名称：{item}。",
    "二、实施机关：{agency}。",
    "三、设定依据：《中华人民共和国行政许可法》及相关法律法规。",
    "四、申请条件：申请人应为依法设立的法人或其他组织，具备相应的{tech}技术条件。",
    "五、申请材料：申请表一份、营业执照复印件一份、相关证明材料。",
    "六、办理时限：法定办结时限{num2}个工作日，承诺办结时限{num4}个工作日。",
    "七、办理地点：内蒙古自治区政务服务中心{num4}号窗口，也可通过内蒙古政务服务网在线办理。",
    "八、收费标准：不收费。",
    "九、咨询电话：0471-{phone}。",
]

CLOSINGS = [
    "联系电话：0471-{phone}。",
    "特此通知。",
    "（{agency}）",
    "欢迎社会各界提出宝贵意见。",
]
