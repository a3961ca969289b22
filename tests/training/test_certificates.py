"""Certificates: the masked name, the drawn files (QR read back by zbarimg, the PDF's page size), who may see and
revoke them, the public verification page, and one certificate per learner and course."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.training import builders
from training import certificate_services, certificates, services
from training.models import Certificate


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三明", "张*明"),
        ("张明", "张*"),
        ("张", "张"),
        ("欧阳小明", "欧*明"),
        (" 李 明 ", "李*"),
        ("", ""),
        ("Ann Lee", "A*e"),
    ],
)
def test_the_public_sees_only_a_masked_name(name, masked):
    assert certificates.mask_name(name) == masked


TEXT = certificates.CertificateText(
    full_name="李明",
    course="社保业务入门",
    date="2026-11-30",
    office="便民服务中心",
    code="K7QH-3MXR-9P2D",
    verify_url="http://testserver/learn/verify/K7QH3MXR9P2D/",
)


def _zbar(path: Path) -> str:
    completed = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


def test_the_png_carries_a_qr_code_to_the_verification_page(tmp_path):
    path = tmp_path / "c.png"
    path.write_bytes(certificates.render_png(TEXT))
    assert _zbar(path) == TEXT.verify_url


def test_the_pdf_is_one_a4_landscape_page():
    pdf = certificates.render_pdf(TEXT)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert len(boxes) == 1
    width, height = (float(side) for side in boxes[0])
    assert width == pytest.approx(841.89, abs=0.05) and height == pytest.approx(595.28, abs=0.05)


@pytest.fixture
def people(departments):
    return {
        "learner": builders.staff("李小明", departments["office"], number="A001"),
        "peer": builders.staff("王芳", departments["office"], number="A002"),
        "manager": builders.manager("赵主任", departments["east"]),
        "far_manager": builders.manager("钱主任", departments["other"]),
    }


@pytest.fixture
def course(departments):
    return builders.course(
        "社保业务入门",
        departments=[departments["county"]],
        lessons=[{"title": "第一课", "body": "<p>一</p>"}, {"title": "第二课", "body": "<p>二</p>"}],
    )


def _finish(user, course):
    for lesson in course.lessons.all():
        services.lesson_mark_done(user=user, lesson=lesson, how="marked_done")


def test_completing_the_course_issues_one_certificate_however_often_it_is_asked(people, course):
    user = people["learner"].user
    first = course.lessons.order_by("sort_order").first()
    services.lesson_mark_done(user=user, lesson=first, how="marked_done")
    assert not Certificate.objects.exists()
    _finish(user, course)
    _finish(user, course)
    assert certificate_services.certificate_issue_if_complete(user=user, course=course).pk == (
        Certificate.objects.get().pk
    )
    certificate = Certificate.objects.get()
    assert (certificate.user, certificate.full_name, certificate.course_title) == (user, "李小明", "社保业务入门")
    assert certificate.office == "便民服务中心"
    assert re.fullmatch(r"[34679ACDEFGHJKMNPQRTUVWXY]{12}", certificate.code)
    assert certificate_services.certificate_issue_if_complete(user=people["peer"].user, course=course) is None


def test_the_files_are_in_the_private_storage_and_the_qr_leads_to_the_verify_page(
    people, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _finish(people["learner"].user, course)
    certificate = Certificate.objects.get()
    assert certificate.png and certificate.pdf  # the immediate task backend drew them after the commit
    path = Path(default_storage.path(certificate.png.name))
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert _zbar(path) == f"http://testserver/learn/verify/{certificate.code}/"


def _client(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


def test_only_the_holder_and_managers_of_the_holders_departments_get_the_files(people, course):
    _finish(people["learner"].user, course)
    certificate = Certificate.objects.get()
    png = reverse("training:certificate_file", args=[certificate.pk, "png"])
    pdf = reverse("training:certificate_file", args=[certificate.pk, "pdf"])
    response = _client(people["learner"]).get(png)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    response = _client(people["learner"]).get(pdf + "?download=1")
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert _client(people["manager"]).get(png).status_code == 200
    assert _client(people["peer"]).get(png).status_code == 404
    assert _client(people["far_manager"]).get(png).status_code == 404
    assert (
        _client(people["learner"]).get(reverse("training:certificate_file", args=[certificate.pk, "gif"])).status_code
        == 404
    )
    anonymous = Client().get(png)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("training:login"))


def test_the_private_file_url_does_not_serve_it_to_anyone_else(people, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _finish(people["learner"].user, course)
    certificate = Certificate.objects.get()
    assert _client(people["peer"]).get(certificate.png.url).status_code == 404
    assert Client().get(certificate.png.url).status_code == 404


def test_my_learning_lists_the_certificate_with_downloads(people, course):
    _finish(people["learner"].user, course)
    certificate = Certificate.objects.get()
    html = _client(people["learner"]).get(reverse("training:my_learning")).content.decode()
    assert f'data-certificate="{certificate.pk}"' in html
    page = _client(people["learner"]).get(reverse("training:certificate", args=[certificate.pk]))
    assert page.status_code == 200 and "data-certificate-image" in page.content.decode()
    assert _client(people["peer"]).get(reverse("training:certificate", args=[certificate.pk])).status_code == 404
    assert reverse("training:certificate_file", args=[certificate.pk, "pdf"]) in html
    assert (
        f'data-certificate="{certificate.pk}"'
        not in _client(people["peer"]).get(reverse("training:my_learning")).content.decode()
    )


def test_the_verify_page_shows_only_the_masked_name_course_date_and_office(people, course):
    _finish(people["learner"].user, course)
    certificate = Certificate.objects.get()
    response = Client().get(reverse("training:verify", args=[certificate.printed_code.lower()]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "李*明" in html and "李小明" not in html
    assert "社保业务入门" in html and "便民服务中心" in html and 'data-certificate-state="valid"' in html
    assert "A001" not in html  # no staff number


def test_an_unknown_code_gets_a_clear_404_page(base):
    response = Client().get(reverse("training:verify", args=["NOPE-NOPE"]))
    assert response.status_code == 404
    assert "NOPE-NOPE" in response.content.decode() and "<h1>" in response.content.decode()


def test_a_manager_of_the_holders_department_revokes_with_a_reason(people, course):
    _finish(people["learner"].user, course)
    certificate = Certificate.objects.get()
    with pytest.raises(certificate_services.CertificateError):
        certificate_services.certificate_revoke(certificate=certificate, user=people["far_manager"].user, reason="x")
    with pytest.raises(certificate_services.CertificateError):
        certificate_services.certificate_revoke(certificate=certificate, user=people["peer"].user, reason="x")
    with pytest.raises(certificate_services.CertificateError):
        certificate_services.certificate_revoke(certificate=certificate, user=people["manager"].user, reason="  ")
    assert not Certificate.objects.get().revoked
    certificate_services.certificate_revoke(certificate=certificate, user=people["manager"].user, reason="考试作弊")
    certificate.refresh_from_db()
    assert certificate.revoked and certificate.revoke_reason == "考试作弊"
    entry = ModelLogEntry.objects.get(action=certificate_services.REVOKE_ACTION)
    assert entry.user == people["manager"].user and entry.data["reason"] == "考试作弊"
    html = Client().get(reverse("training:verify", args=[certificate.code])).content.decode()
    assert 'data-certificate-state="revoked"' in html and "考试作弊" not in html
    with pytest.raises(certificate_services.CertificateError):
        certificate_services.certificate_revoke(certificate=certificate, user=people["manager"].user, reason="再次")


def _admin_client(profile) -> Client:
    return _client(profile)


def test_the_admin_lists_and_revokes_only_certificates_of_the_managers_departments(people, course):
    _finish(people["learner"].user, course)
    certificate = Certificate.objects.get()
    listing = _admin_client(people["manager"]).get(reverse("training_certificates"))
    assert listing.status_code == 200 and "李小明" in listing.content.decode()
    assert "李小明" not in _admin_client(people["far_manager"]).get(reverse("training_certificates")).content.decode()
    export = _admin_client(people["manager"]).get(reverse("training_certificates") + "?export=csv")
    assert "李小明" in b"".join(export.streaming_content).decode("utf-8-sig")
    revoke = reverse("training_certificate_revoke", args=[certificate.pk])
    assert _admin_client(people["far_manager"]).post(revoke, {"reason": "x"}).status_code == 404
    assert _admin_client(people["learner"]).get(revoke).status_code in (302, 403)
    assert not Certificate.objects.get().revoked
    response = _admin_client(people["manager"]).post(revoke, {"reason": "证书信息有误"})
    assert response.status_code == 302
    assert Certificate.objects.get().revoke_reason == "证书信息有误"


def test_passing_the_final_quiz_of_a_finished_course_issues_the_certificate(people, departments):
    from tests.training import quiz_builders
    from training import quiz_services

    category, rows = quiz_builders.bank()
    quiz = quiz_builders.quiz(category)
    course = quiz_builders.course_with_quiz(departments, quiz, final=True)
    user = people["learner"].user
    _finish(user, course)
    assert not Certificate.objects.exists()  # the final quiz is still to pass
    attempt = quiz_services.quiz_attempt_start(user=user, quiz=quiz)
    attempt = quiz_services.quiz_attempt_submit(user=user, attempt=attempt, answers=quiz_builders.right_answers(rows))
    assert attempt.passed
    assert Certificate.objects.get().course == course
    quiz_services.quiz_attempt_submit(user=user, attempt=attempt.pk, answers={})  # resent: still one certificate
    assert Certificate.objects.count() == 1
