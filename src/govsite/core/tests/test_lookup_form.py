"""The one number-and-code lookup form names each app's number in its label, help and error message."""

from govsite.disclosure.forms import LookupForm as CaseLookup
from govsite.interaction.forms import LookupForm as MessageLookup


def test_each_lookup_names_its_own_number():
    case, message = CaseLookup(data={}), MessageLookup(data={})
    assert not case.is_valid() and not message.is_valid()
    assert case["number"].label == "受理编号" and message["number"].label == "留言编号"
    assert case.errors["number"] == ["请填写受理编号。"] and message.errors["number"] == ["请填写留言编号。"]
    assert "YSQ-2026-000123" in case.fields["number"].help_text
    assert "提交留言" in message.fields["code"].help_text
    assert 'aria-describedby="id_number_error id_number_helptext"' in str(case["number"])
    assert CaseLookup(data={"number": " ysq-2026-000001 ", "code": "x"}).is_valid()
