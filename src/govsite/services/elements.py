"""The ten key elements of a 办事指南 (国办秘函〔2019〕19号, 单项否决 V6 服务不实用), in checklist order."""

NONE_ANSWER = "无"
MATERIALS = "materials"  # the element held as rows (ServiceMaterial), not as a text field

# field name, label
ELEMENTS: list[tuple[str, str]] = [
    ("item_name", "事项名称"),
    ("legal_basis", "设定依据"),
    ("conditions", "申请条件"),
    (MATERIALS, "办理材料"),
    ("location", "办理地点"),
    ("agency", "办理机构"),
    ("fees", "收费标准"),
    ("hours", "办理时间"),
    ("phone", "联系电话"),
    ("procedure", "办理流程"),
]
TEXT_ELEMENTS = [(name, label) for name, label in ELEMENTS if name != MATERIALS]
MATERIALS_MESSAGE = f"请添加办理材料；无需提交材料的，请在“材料说明”中填写“{NONE_ANSWER}”。"


def required_message(label: str) -> str:
    return f"请填写“{label}”；该要素不适用的，请填写“{NONE_ANSWER}”。"


# The headings under which a guide written as free text (an article) states each element: the
# checklist's own label first, then the names guides commonly use for it.
HEADINGS: dict[str, tuple[str, ...]] = {
    "事项名称": ("事项名称", "项目名称", "服务事项"),
    "设定依据": ("设定依据", "法律依据", "办理依据", "实施依据", "政策依据"),
    "申请条件": ("申请条件", "受理条件", "办理条件", "申报条件"),
    "办理材料": ("办理材料", "申请材料", "申报材料", "所需材料", "提交材料"),
    "办理地点": ("办理地点", "受理地点", "办公地点", "受理窗口"),
    "办理机构": ("办理机构", "实施机关", "实施机构", "受理机构", "决定机构", "办理部门", "受理部门"),
    "收费标准": ("收费标准", "收费依据", "是否收费", "收费情况"),
    "办理时间": ("办理时间", "受理时间", "工作时间", "办公时间"),
    "联系电话": ("联系电话", "咨询电话", "联系方式", "咨询方式"),
    "办理流程": ("办理流程", "办理程序", "办事流程", "审批流程", "申报流程"),
}


def text_gaps(text: str) -> list[str]:
    """The elements a free-text guide never names (none of its headings appears), in checklist order."""
    return [label for _name, label in ELEMENTS if not any(heading in text for heading in HEADINGS[label])]
