"""Formats of the identifiers every government site must show in its footer."""

from django.core.validators import RegexValidator

# 政府网站标识码: 10 digits (行政区划代码 + sequence) or bm + 8 digits for State Council departments.
SITE_ID_CODE_RE = r"^(bm\d{8}|\d{10})$"
# Province abbreviations that begin an ICP or 公安 filing number.
PROVINCES = "京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新"
ICP_RE = rf"^[{PROVINCES}]ICP备\d+号(-\d+)?$"
POLICE_RE = rf"^[{PROVINCES}]公网安备\s*(?P<code>\d{{14}})号$"

validate_site_id_code = RegexValidator(
    SITE_ID_CODE_RE, "政府网站标识码应为10位数字，或 bm 加8位数字（如 1500000057、bm01000001）。"
)
validate_icp_number = RegexValidator(ICP_RE, "ICP备案号格式应如“蒙ICP备2021001220号-1”。")
validate_police_number = RegexValidator(
    POLICE_RE, "公安机关备案号格式应如“蒙公网安备15010502002335号”（14位数字）。"
)
