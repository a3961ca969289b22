from django_tasks import task


@task(queue_name="default")
def render_certificate(certificate_id: int) -> bool:
    """Draw a certificate's PNG and PDF into the private storage (nothing to do when they are there)."""
    from .certificate_services import certificate_files_ensure

    return certificate_files_ensure(certificate_id=certificate_id) is not None


@task(queue_name="default")
def delete_certificate_files(names: list[str]) -> int:
    """The PNG and PDF of deleted certificates (their rows are gone, so the task gets the stored names)."""
    from .certificate_services import certificate_files_delete

    return certificate_files_delete(names=names)


@task(queue_name="default")
def send_overdue_reminders(manager_id: int, department_id: int | None = None, course_id: int | None = None) -> int:
    """E-mail the overdue learners a manager may see; learners reminded today already are skipped."""
    from .reminders import reminders_send

    return reminders_send(manager_id=manager_id, department_id=department_id, course_id=course_id)


@task(queue_name="search")
def index_staff_course(course_id: int) -> int:
    """Bring one course's lessons in the staff-only search index in step with its live version."""
    from .staff_index import staff_index_course

    return staff_index_course(course_id=course_id)


@task(queue_name="default")
def refresh_course_status(person_ids: list[int] | None = None, course_ids: list[int] | None = None) -> None:
    """Recompute the dashboard status rows of these people in these courses (None: all). Idempotent."""
    from .course_status import course_status_refresh

    course_status_refresh(person_ids=person_ids, course_ids=course_ids)
