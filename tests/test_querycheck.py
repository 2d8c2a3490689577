import pytest

from index.engine import QUERY_FIELDS
from index.querycheck import QueryError, check_query

GOOD = ["Soldaten", '"12.000 Soldaten"', "title:Kursk AND outlet:dpa", "date:[2024-10 to 2024-11]",
        "date:[2024-10 to]", 'outlet:"zeit online"', "a AND (b OR c)", "Kur*", "soldat NOT kursk",
        "NOT kursk", "(a OR b) AND NOT c"]


@pytest.mark.parametrize("q", GOOD)
def test_good_queries_pass(q):
    check_query(q, QUERY_FIELDS)


@pytest.mark.parametrize("q,needle", [
    ("(Kursk OR", "never closed"),
    ("a AND", "nothing after"),
    ("date:[2024 to", "unclosed range"),
    ("foo:bar", "unknown field 'foo'"),
    ("Kursk)", "no matching ("),
    ("AND b", "nothing before"),
    ("a OR OR b", "nothing before"),
    ("()", "empty parentheses"),
    ('"abc', "unclosed quote"),
    ("date:[2024 2025]", "needs the word 'to'"),
    ("title:", "no value"),
    ("", "empty query"),
    ("a NOT AND b", "must be followed"),
])
def test_bad_queries_say_what_is_wrong(q, needle):
    with pytest.raises(QueryError) as ei:
        check_query(q, QUERY_FIELDS)
    msg = str(ei.value)
    assert needle in msg and "\n" not in msg
