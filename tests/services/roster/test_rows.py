"""Row validation: reasons with row numbers, duplicates, same-name pairs, text kept verbatim."""

from services.roster import Level, RowError, RowWarning, parse_roster
from tests.services.roster.builders import HEADER_ZH, csv_bytes, person, roster_csv


def test_missing_name_is_reported_with_its_row_number() -> None:
    result = parse_roster(roster_csv(person("张三"), person("")), "roster.csv")

    assert not result.ok
    assert [row.name for row in result.rows] == ["张三"]
    assert result.errors == [
        RowError(3, "The {column} cell is empty; it is required.", {"column": "姓名"})
    ]


def test_unknown_role_is_a_bad_row() -> None:
    result = parse_roster(roster_csv(person(role="主任")), "roster.csv")

    assert result.rows == []
    assert result.errors == [
        RowError(
            2,
            "Unknown role {value}; use representative, staff or admin.",
            {"value": "主任", "column": "角色"},
        )
    ]


def test_unknown_level_is_a_bad_row() -> None:
    result = parse_roster(roster_csv(person(level="村")), "roster.csv")

    assert result.errors == [
        RowError(
            2,
            "Unknown level {value}; use national, province, city, county or township.",
            {"value": "村", "column": "层级"},
        )
    ]


def test_unknown_leader_mark_is_a_bad_row() -> None:
    result = parse_roster(roster_csv(person(group="一组", leader="也许")), "roster.csv")

    assert [(e.row, e.message, e.params) for e in result.errors] == [
        (
            2,
            "Unknown group leader mark {value}; use yes or no.",
            {"value": "也许", "column": "组长"},
        )
    ]


def test_every_reason_of_a_row_is_reported() -> None:
    bad = person("", level="", term="第十四次", delegation="", phone="12345")

    result = parse_roster(roster_csv(person(), bad), "roster.csv")

    assert [(e.row, e.params["column"]) for e in result.errors] == [
        (3, "姓名"),
        (3, "层级"),
        (3, "届次"),
        (3, "代表团"),
        (3, "手机"),
    ]


def test_duplicate_row_names_the_first_occurrence() -> None:
    data = roster_csv(person("张三"), person("李四"), person("张三"))

    result = parse_roster(data, "roster.csv")

    assert [row.row_number for row in result.rows] == [2, 3]
    assert result.errors == [
        RowError(
            4,
            "{name} already appears in row {first_row}; remove one of the two rows.",
            {"name": "张三", "first_row": 2},
        )
    ]


def test_same_representative_id_twice_at_one_level_is_a_duplicate() -> None:
    data = roster_csv(person("张三", external_id="41001"), person("张山", external_id="41001"))

    result = parse_roster(data, "roster.csv")

    assert [row.name for row in result.rows] == ["张三"]
    assert [(e.row, e.params) for e in result.errors] == [(3, {"name": "张山", "first_row": 2})]


def test_same_name_in_two_delegations_is_a_warning_not_an_error() -> None:
    data = roster_csv(
        person("王芳", delegation="驻洛阳代表团"), person("王芳", delegation="驻郑州代表团")
    )

    result = parse_roster(data, "roster.csv")

    assert result.ok
    assert [row.delegation for row in result.rows] == ["驻洛阳代表团", "驻郑州代表团"]
    assert result.warnings == [
        RowWarning(
            3,
            "Rows {first_row} and {row} both name {name}; check whether they are the same person.",
            {"name": "王芳", "first_row": 2, "row": 3},
        )
    ]


def test_same_name_with_different_ids_is_a_warning() -> None:
    data = roster_csv(person("王芳", external_id="1"), person("王芳", external_id="2"))

    result = parse_roster(data, "roster.csv")

    assert [row.external_id for row in result.rows] == ["1", "2"]
    assert [(w.row, w.params["first_row"]) for w in result.warnings] == [(3, 2)]


def test_person_at_two_levels_gives_two_valid_rows() -> None:
    data = roster_csv(
        person("赵敏", external_id="41001", level="省"),
        person("赵敏", external_id="41001", level="市"),
    )

    result = parse_roster(data, "roster.csv")

    assert result.ok
    assert result.warnings == []
    assert [(row.name, row.level) for row in result.rows] == [
        ("赵敏", Level.province),
        ("赵敏", Level.city),
    ]
    assert result.rows[0].identity_key != result.rows[1].identity_key


def test_identity_key_uses_id_when_present() -> None:
    rows = parse_roster(roster_csv(person("甲", external_id="7"), person("乙")), "r.csv").rows

    assert [row.identity_key for row in rows] == [
        ("id", "province", "驻洛阳代表团", "7"),
        ("name", "province", "乙", "驻洛阳代表团"),
    ]


def test_markup_characters_in_names_are_kept_verbatim() -> None:
    data = roster_csv(person("<b>张三</b>"), person("Tom & Jerry", delegation="A&B <代表团>"))

    result = parse_roster(data, "roster.csv")

    assert [(row.name, row.delegation) for row in result.rows] == [
        ("<b>张三</b>", "驻洛阳代表团"),
        ("Tom & Jerry", "A&B <代表团>"),
    ]


def test_whitespace_is_trimmed_and_name_padding_removed() -> None:
    data = roster_csv(
        person("\u3000王\u3000伟 "), person(" Mary  Ann\u3000", delegation=" 驻 洛阳 ")
    )

    result = parse_roster(data, "roster.csv")

    assert [(row.name, row.delegation) for row in result.rows] == [
        ("王伟", "驻洛阳代表团"),
        ("Mary Ann", "驻 洛阳"),
    ]


def test_overlong_values_are_rejected_with_the_limit() -> None:
    data = roster_csv(person("张" * 65), person("李四", station="站" * 129), person("王" * 64))

    result = parse_roster(data, "roster.csv")

    assert [row.row_number for row in result.rows] == [4]
    assert [(e.row, e.params) for e in result.errors] == [
        (2, {"length": 65, "limit": 64, "column": "姓名"}),
        (3, {"length": 129, "limit": 128, "column": "联络站"}),
    ]


def test_blank_rows_are_skipped_and_row_numbers_stay_true() -> None:
    data = csv_bytes([HEADER_ZH, person("甲"), [], [""] * 10, [" ", "\u3000"], person("乙")])

    result = parse_roster(data, "roster.csv")

    assert result.errors == []
    assert [(row.row_number, row.name) for row in result.rows] == [(2, "甲"), (6, "乙")]


def test_short_rows_leave_optional_cells_empty() -> None:
    data = csv_bytes([HEADER_ZH, ["张三", "", "省", "14", "驻洛阳代表团"]])

    result = parse_roster(data, "roster.csv")

    row = result.rows[0]
    assert (row.group, row.phone, row.station, row.is_group_leader) == (None, None, None, False)
    assert row.role == "representative"


def test_group_leader_needs_a_group() -> None:
    result = parse_roster(roster_csv(person(leader="是")), "roster.csv")

    assert [(e.row, e.message) for e in result.errors] == [
        (2, "The row marks a group leader but names no group.")
    ]


def test_term_that_ends_before_it_starts_is_rejected() -> None:
    data = csv_bytes([[*HEADER_ZH, "任期起止"], [*person(), "2027-12-31至2023-01-01"]])

    result = parse_roster(data, "roster.csv")

    assert [(e.row, e.params) for e in result.errors] == [
        (2, {"start": "2027-12-31", "end": "2023-01-01", "column": "任期起止"})
    ]


def test_same_name_with_the_same_phone_is_one_person_at_two_levels_and_not_warned() -> None:
    data = roster_csv(
        person(
            "李红梅", external_id="HA-2", delegation="驻洛省十四届人大代表", phone="13837900102"
        ),
        person(
            "李红梅",
            external_id="NY-5",
            level="市",
            delegation="南阳市人大代表",
            phone="13837900102",
        ),
    )
    result = parse_roster(data, "r.csv")
    assert result.ok
    assert len(result.rows) == 2
    assert result.warnings == []
