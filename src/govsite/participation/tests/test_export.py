"""The Excel export keeps what the public typed as text, whatever characters it holds."""

import io

from openpyxl import load_workbook

from govsite.participation.export import workbook_bytes


def test_characters_xml_forbids_are_dropped_and_formulas_stay_text() -> None:
    """Found by the hostile-input suite: a question with U+FFFE (or a control character) made the
    interview's export fail with a 500; a leading = + - @ stays text, never a formula."""
    rows = [["问\ufffe题\uffff", "a\x0bb\x00c"], ['=HYPERLINK("http://evil.example")', "@SUM(1)"]]
    workbook = load_workbook(io.BytesIO(workbook_bytes([("网友提问", ["问题", "备注"], rows)])))
    sheet = workbook["网友提问"]
    assert [cell.value for cell in sheet[2]] == ["问题", "abc"]
    assert [cell.data_type for cell in sheet[3]] == ["s", "s"]
    assert sheet["A3"].value == '=HYPERLINK("http://evil.example")'
