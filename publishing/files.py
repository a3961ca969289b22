"""Who may read a package's files: anyone who may see channel packages in the admin."""

VIEW_PERMISSION = "publishing.view_package"


def user_can_view_packages(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(VIEW_PERMISSION))


def package_file_allowed(user, name: str) -> bool:
    from .models import PackageFile

    return user_can_view_packages(user) and PackageFile.objects.filter(file=name).exists()
