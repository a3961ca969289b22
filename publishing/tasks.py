from django_tasks import task

from . import services


@task(queue_name="publishing")
def package_build(package_id: int) -> str:
    package = services.package_build(package_id=package_id)
    return package.build_status if package is not None else "skipped"


@task(queue_name="publishing")
def packages_outdate(tutorial_id: int) -> int:
    """The tutorial was republished: mark its packages built from an older revision out of date."""
    return len(services.packages_mark_out_of_date(tutorial_id=tutorial_id))


@task(queue_name="default")
def package_files_delete(names: list[str]) -> int:
    """The stored files of package file rows that are gone (a rebuild replaced them, or the package was deleted)."""
    return services.package_files_delete(names=names)
