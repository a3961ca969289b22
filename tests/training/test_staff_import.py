import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper
from django.utils import translation
from openpyxl import Workbook

from cms import roles
from tests.training import builders
from training.models import StaffProfile
from training.staff_import import StaffImportError, read_sheet, staff_import_apply, staff_import_plan

HEADER = "姓名,部门,工号,手机号\n"


@pytest.fixture(autouse=True)
def english():
    # Messages are checked in English here; the admin tests check the Chinese ones.
    with translation.override("en"):
        yield


# A valid resident ID number (check character computed by GB 11643), made for the test.
RESIDENT_ID = "11010519491231002X"


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_resident_id_fixture_is_a_valid_number():
    from privacy.detect.text import resident_id_valid

    assert resident_id_valid(RESIDENT_ID)


def test_csv_import_creates_staff_with_accounts_in_the_learner_group(departments):
    content = csv_bytes("李明,城关县/东关街道/便民服务中心,A001,13800138000", "赵丽,城关县/西关街道;河西县,A002,")
    plan = staff_import_apply(filename="staff.csv", content=content)
    assert (plan.created, plan.updated) == (2, 0)
    li = StaffProfile.objects.get(staff_number="A001")
    assert li.name == "李明" and li.mobile == "13800138000"
    assert list(li.departments.all()) == [departments["office"]]
    assert set(StaffProfile.objects.get(staff_number="A002").departments.all()) == {
        departments["west"],
        departments["other"],
    }
    assert li.user.username == "A001" and not li.user.has_usable_password()
    assert li.user.groups.filter(name=roles.STAFF_LEARNERS).exists()


def test_gb18030_csv_from_excel_is_read(departments):
    content = csv_bytes("李明,城关县,A001,", encoding="gb18030")
    assert staff_import_apply(filename="STAFF.CSV", content=content).created == 1


def test_xlsx_import_with_numbers_stored_as_numbers(departments):
    content = xlsx_bytes(
        [["姓名", "部门", "工号", "手机"], ["李明", "城关县/东关街道", 1001, 13800138000], [None, None, None]]
    )
    plan = staff_import_apply(filename="staff.xlsx", content=content)
    assert plan.created == 1
    profile = StaffProfile.objects.get(staff_number="1001")
    assert profile.mobile == "13800138000" and list(profile.departments.all()) == [departments["east"]]


def test_reimport_updates_by_staff_number_instead_of_duplicating(departments):
    staff_import_apply(filename="s.csv", content=csv_bytes("李明,城关县/东关街道,A001,13800138000"))
    plan = staff_import_apply(filename="s.csv", content=csv_bytes("李小明,城关县/西关街道,A001,"))
    assert (plan.created, plan.updated) == (0, 1)
    assert StaffProfile.objects.count() == 1 and User.objects.filter(username="A001").count() == 1
    profile = StaffProfile.objects.get()
    assert profile.name == "李小明" and profile.mobile == ""
    assert list(profile.departments.all()) == [departments["west"]]


def test_errors_are_line_numbered_and_nothing_is_imported(departments):
    content = csv_bytes(
        "李明,城关县/东关街道,A001,13800138000",
        ",城关县,A002,",
        "王五,城关县/不存在,A003,",
        "赵六,城关县,A001,12345",
        "钱七,,A004,",
    )
    plan = staff_import_plan(rows=read_sheet(filename="s.csv", content=content))
    lines = dict(plan.errors)
    assert set(lines) == {3, 4, 5, 6}
    assert "name" in lines[3]
    assert "城关县/不存在" in lines[4]
    assert "line 2" in lines[5] and "mobile" in lines[5]
    assert "department" in lines[6]
    with pytest.raises(StaffImportError) as raised:
        staff_import_apply(filename="s.csv", content=content)
    assert [line for line, _ in raised.value.errors] == [3, 4, 5, 6]
    assert not StaffProfile.objects.exists() and not User.objects.filter(username="A001").exists()


@pytest.mark.parametrize("title", ["身份证号", "身份证", "ID number", "公民身份号码", "证件号码"])
def test_a_column_for_resident_id_numbers_is_refused(departments, title):
    content = csv_bytes("李明,城关县,A001,,whatever", header=f"姓名,部门,工号,手机号,{title}\n")
    with pytest.raises(StaffImportError) as raised:
        staff_import_apply(filename="s.csv", content=content)
    [(line, message)] = raised.value.errors
    assert line == 1 and title in message and "never collects" in message
    assert not StaffProfile.objects.exists()


@pytest.mark.parametrize("cell", [RESIDENT_ID, "110105 19491231 002X", "身份证 11010519491231002x"])
def test_a_cell_holding_a_resident_id_number_is_refused_without_echoing_it(departments, cell):
    content = csv_bytes("李明,城关县,A001,", f'赵丽,城关县,A002,"{cell}"')
    with pytest.raises(StaffImportError) as raised:
        staff_import_apply(filename="s.csv", content=content)
    [(line, message)] = raised.value.errors
    assert line == 3 and "resident ID" in message and 'Column 4 ("手机号")' in message
    assert "1949" not in message
    assert not StaffProfile.objects.exists()


def test_a_resident_id_in_an_xlsx_cell_is_refused(departments):
    content = xlsx_bytes([["姓名", "部门", "工号"], ["李明", "城关县", RESIDENT_ID]])
    with pytest.raises(StaffImportError) as raised:
        staff_import_apply(filename="s.xlsx", content=content)
    assert raised.value.errors[0][0] == 2


def test_missing_columns_and_unreadable_files(departments):
    with pytest.raises(StaffImportError, match="no staff number column"):
        staff_import_apply(filename="s.csv", content=csv_bytes("李明,城关县", header="姓名,部门\n"))
    with pytest.raises(StaffImportError, match="XLSX"):
        read_sheet(filename="s.xlsx", content=b"not a zip")
    with pytest.raises(StaffImportError, match=".xlsx or .csv"):
        read_sheet(filename="s.pdf", content=b"%PDF")
    with pytest.raises(StaffImportError):
        staff_import_apply(filename="s.csv", content=HEADER.encode())


def test_a_staff_number_that_is_another_accounts_sign_in_name_is_refused(departments):
    User.objects.create_user("admin")
    with pytest.raises(StaffImportError, match="sign-in name"):
        staff_import_apply(filename="s.csv", content=csv_bytes("李明,城关县,admin,"))


def test_a_manager_imports_only_into_their_departments(departments):
    d = departments
    boss = builders.manager("王主任", d["east"])
    builders.staff("张强", d["west"], number="W001")
    ok = staff_import_plan(
        rows=read_sheet(filename="s.csv", content=csv_bytes("李明,城关县/东关街道/便民服务中心,A001,")), user=boss.user
    )
    assert ok.ok
    content = csv_bytes("李明,城关县/西关街道,A001,", "张强改,城关县/东关街道,W001,")
    plan = staff_import_plan(rows=read_sheet(filename="s.csv", content=content), user=boss.user)
    errors = dict(plan.errors)
    assert "not one of yours" in errors[2]
    assert "not yours" in errors[3]
    with pytest.raises(StaffImportError):
        staff_import_apply(filename="s.csv", content=content, user=boss.user)
    assert StaffProfile.objects.get(staff_number="W001").name == "张强"


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("staff_import", *args, stdout=OutputWrapper(out), stderr=OutputWrapper(err))
    return out.getvalue(), err.getvalue()


def test_command_dry_run_prints_and_writes_nothing_then_imports(departments, tmp_path):
    sheet = tmp_path / "staff.csv"
    sheet.write_bytes(csv_bytes("李明,城关县/东关街道,A001,13800138000"))
    out, _ = run_command(str(sheet), "--dry-run")
    assert "2: create A001 李明 in 城关县/东关街道" in out and "Would import 1 staff" in out
    assert not StaffProfile.objects.exists()
    out, _ = run_command(str(sheet))
    assert "Imported 1 staff: 1 new, 0 updated." in out
    assert StaffProfile.objects.filter(staff_number="A001").exists()


def test_command_prints_each_error_with_its_line(departments, tmp_path):
    sheet = tmp_path / "staff.csv"
    sheet.write_bytes(csv_bytes("李明,城关县,A001,", "王五,没有这个县,A002,"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("staff_import", str(sheet), stderr=OutputWrapper(err))
    assert 'staff.csv:3: there is no department "没有这个县"' in err.getvalue()
    assert not StaffProfile.objects.exists()
    with pytest.raises(CommandError, match="no such file"):
        call_command("staff_import", str(tmp_path / "missing.csv"))
