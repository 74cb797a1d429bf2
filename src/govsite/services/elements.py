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
