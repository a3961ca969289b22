"""Staff import from a CSV or XLSX sheet: plan (preview with line-numbered errors), then apply all or nothing.

Columns: name, department path ("County/Township/Office"; several separated by ";"), staff number, optional mobile.
A re-import updates the person with the same staff number. Resident ID numbers are never collected: a column named
for them, or any cell holding one, refuses the whole sheet.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from cms import roles
from privacy.detect.text import find_numbers
from privacy.detect.types import Kind

from . import selectors
from .models import StaffProfile
from .models.people import PATH_SEPARATOR

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10000
COLUMNS = {
    "name": {"name", "姓名", "名字"},
    "department": {"department", "departments", "部门", "所属部门", "单位"},
    "staff_number": {"staff number", "staff_number", "staff no", "工号", "员工编号", "职工编号", "编号"},
    "mobile": {"mobile", "phone", "手机", "手机号", "手机号码", "电话"},
}
REQUIRED = ("name", "department", "staff_number")
_ID_HEADER = re.compile(r"身份证|证件号|公民身份|\bid\s*(number|no|card)\b|\bidentity\b", re.IGNORECASE)
_MOBILE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")
_DEPARTMENT_SPLIT = re.compile(r"[;；\n]")
_STAFF_NUMBER = re.compile(r"[A-Za-z0-9_.\-]{1,32}")


class StaffImportError(ValueError):
    """The sheet cannot be imported; ``errors`` holds (line, message) pairs."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{line}: {message}" for line, message in errors))


@dataclass(frozen=True)
class StaffRow:
    line: int
    name: str
    staff_number: str
    mobile: str
    department_ids: tuple[int, ...]
    department_paths: tuple[str, ...]
    existing: bool


@dataclass
class StaffImportPlan:
    rows: list[StaffRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if not row.existing)

    @property
    def updated(self) -> int:
        return sum(1 for row in self.rows if row.existing)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(*, filename: str, content: bytes) -> list[list[str]]:
    """The sheet's rows as text cells (first row the header). Raises StaffImportError for a file that cannot be read."""
    if len(content) > MAX_BYTES:
        raise StaffImportError([(0, _("The file is larger than 5 MB."))])
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 (openpyxl raises many kinds for a damaged file)
            raise StaffImportError([(0, _("The file is not a readable XLSX workbook."))]) from error
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    if lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise StaffImportError([(0, _("The CSV file is neither UTF-8 nor GB18030 text."))])
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    raise StaffImportError([(0, _("Upload a .xlsx or .csv file."))])


def _header_map(header: list[str], errors: list[tuple[int, str]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = title.strip().lower()
        if not key:
            continue
        if _ID_HEADER.search(key):
            errors.append(
                (
                    1,
                    _('Column "%(title)s" is for resident ID numbers, which Bangban never collects: delete the column.')
                    % {"title": title},
                )
            )
            continue
        for column, names in COLUMNS.items():
            if key in names:
                found[column] = index
    for column in REQUIRED:
        if column not in found:
            names = " / ".join(sorted(COLUMNS[column]))
            label = {"name": _("name"), "department": _("department"), "staff_number": _("staff number")}[column]
            errors.append((1, _("The sheet has no %(column)s column (%(names)s).") % {"column": label, "names": names}))
    return found


def staff_import_plan(*, rows: list[list[str]], user=None) -> StaffImportPlan:
    """Check every row against the database and the manager's departments (``user``; None: all departments)."""
    plan = StaffImportPlan()
    if not rows:
        plan.errors.append((0, _("The sheet is empty.")))
        return plan
    columns = _header_map(rows[0], plan.errors)
    body = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(cell for cell in row)]
    if len(body) > MAX_ROWS:
        plan.errors.append((0, _("The sheet has more than %(max)d rows.") % {"max": MAX_ROWS}))
        return plan
    for number, row in body:
        for index, cell in enumerate(row):
            if cell and any(finding.kind is Kind.RESIDENT_ID for finding in find_numbers(cell)):
                title = rows[0][index] if index < len(rows[0]) else ""
                plan.errors.append(
                    (
                        number,
                        _(
                            'Column %(column)d ("%(title)s") holds a resident ID number, which Bangban never collects: '
                            "remove it."
                        )
                        % {"column": index + 1, "title": title},
                    )
                )
    if plan.errors:
        return plan

    scope = selectors.manager_department_ids(user=user) if user is not None else None
    paths = {path: pk for pk, path in selectors.department_paths().items()}
    existing = {p.staff_number: p for p in StaffProfile.objects.prefetch_related("departments")}
    taken_usernames = set(get_user_model().objects.filter(staff_profile=None).values_list("username", flat=True))
    seen: dict[str, int] = {}

    def cell(row: list[str], column: str) -> str:
        index = columns.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in body:
        name, staff_number, mobile = cell(row, "name"), cell(row, "staff_number"), cell(row, "mobile")
        department_text = cell(row, "department")
        problems = []
        if not name:
            problems.append(_("the name is empty"))
        elif len(name) > 60:
            problems.append(_("the name is longer than 60 characters"))
        if not staff_number:
            problems.append(_("the staff number is empty"))
        elif not _STAFF_NUMBER.fullmatch(staff_number):
            problems.append(_("the staff number may only hold letters, digits, '-', '_' and '.' (at most 32)"))
        elif staff_number in seen:
            problems.append(
                _("staff number %(number)s is also on line %(line)d")
                % {"number": staff_number, "line": seen[staff_number]}
            )
        elif staff_number in taken_usernames:
            problems.append(
                _("staff number %(number)s is already the sign-in name of another account") % {"number": staff_number}
            )
        mobile = re.sub(r"[\s\-]", "", mobile)
        if mobile and not _MOBILE.fullmatch(mobile):
            problems.append(_("the mobile number is not an 11-digit mainland mobile number"))
        department_ids, department_paths = [], []
        wanted = [part.strip() for part in _DEPARTMENT_SPLIT.split(department_text) if part.strip()]
        if not wanted:
            problems.append(_("no department is given"))
        for path in wanted:
            path = PATH_SEPARATOR.join(
                part.strip() for part in path.replace("／", PATH_SEPARATOR).split(PATH_SEPARATOR)
            )
            pk = paths.get(path)
            if pk is None:
                problems.append(_('there is no department "%(path)s"') % {"path": path})
            elif scope is not None and pk not in scope:
                problems.append(_('department "%(path)s" is not one of yours') % {"path": path})
            else:
                department_ids.append(pk)
                department_paths.append(path)
        profile = existing.get(staff_number)
        if profile is not None and scope is not None:
            if any(department.pk not in scope for department in profile.departments.all()):
                problems.append(
                    _("staff number %(number)s belongs to someone in a department that is not yours")
                    % {"number": staff_number}
                )
        if staff_number:
            seen.setdefault(staff_number, number)
        if problems:
            plan.errors.append((number, "; ".join(str(problem) for problem in problems)))
            continue
        plan.rows.append(
            StaffRow(
                line=number,
                name=name,
                staff_number=staff_number,
                mobile=mobile,
                department_ids=tuple(dict.fromkeys(department_ids)),
                department_paths=tuple(dict.fromkeys(department_paths)),
                existing=profile is not None,
            )
        )
    if not plan.rows and not plan.errors:
        plan.errors.append((0, _("The sheet has a header but no staff rows.")))
    return plan


def staff_import_apply(*, filename: str, content: bytes, user=None) -> StaffImportPlan:
    """Plan again and write every row in one transaction; nothing is written when any row is wrong."""
    User = get_user_model()
    with transaction.atomic():
        plan = staff_import_plan(rows=read_sheet(filename=filename, content=content), user=user)
        if not plan.ok:
            raise StaffImportError(plan.errors or [(0, _("Nothing to import."))])
        learners = Group.objects.get(name=roles.STAFF_LEARNERS)
        for row in plan.rows:
            account, created = User.objects.get_or_create(username=row.staff_number)
            if created:
                account.set_unusable_password()
                account.save(update_fields=["password"])
            account.groups.add(learners)
            profile, _created = StaffProfile.objects.update_or_create(
                staff_number=row.staff_number, defaults={"user": account, "name": row.name, "mobile": row.mobile}
            )
            profile.departments.set(row.department_ids)
    return plan
