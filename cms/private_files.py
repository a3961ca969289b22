"""Files no URL serves directly: uploaded originals and anything not yet public.

The default storage keeps them under PRIVATE_MEDIA_ROOT, which no web server route points at. A stored file's URL
is ``serve_private``, which serves it only to a signed-in user allowed to see the object it belongs to, decided by
the rule for its top folder (the ``upload_to`` of the field). What citizens get (image renditions) is in the
"public" storage on MEDIA_ROOT / MEDIA_URL; a video's phone version and poster go through media.views, which serve
them only while a live public tutorial uses the video.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.module_loading import import_string

from cms.media_serve import serve_stored

# Top folder of a stored name -> "module.function(user, name) -> bool". A folder without a rule is for superusers.
RULES = {
    "original_images": "cms.private_files.image_file_allowed",
    "documents": "cms.private_files.document_file_allowed",
    "avatar_images": "cms.private_files.admin_user_allowed",
    "videos": "media.files.video_file_allowed",
    "packages": "publishing.files.package_file_allowed",
}


@deconstructible(path="cms.private_files.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """The file system under PRIVATE_MEDIA_ROOT, with URLs that lead to the permission-checked view."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        return reverse("private_file", kwargs={"name": name.replace("\\", "/")})


def admin_user_allowed(user, name: str) -> bool:
    return user.has_perm("wagtailadmin.access_admin")


def _instance_allowed(user, model, name: str) -> bool:
    """Whether ``user`` may edit or choose the object whose file is ``name`` (Wagtail's collection permissions)."""
    from wagtail.permissions import policy_registry

    instance = model.objects.filter(file=name).first()
    return instance is not None and policy_registry.get_by_type(model).user_has_any_permission_for_instance(
        user, ["change", "choose"], instance
    )


def image_file_allowed(user, name: str) -> bool:
    from wagtail.images import get_image_model

    return _instance_allowed(user, get_image_model(), name)


def document_file_allowed(user, name: str) -> bool:
    from wagtail.documents import get_document_model

    return _instance_allowed(user, get_document_model(), name)


def private_file_allowed(user, name: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    rule = RULES.get(name.split("/", 1)[0])
    return bool(rule) and import_string(rule)(user, name)


def serve_private(request: HttpRequest, name: str) -> HttpResponse:
    """A private file for a user allowed to see it; 404 for anyone else, so nobody learns which files exist."""
    if not private_file_allowed(request.user, name):
        raise Http404
    from django.core.files.storage import default_storage

    response = serve_stored(request, default_storage, name)
    patch_cache_control(response, private=True)
    return response


def delete_unheld(storage, names: list[str], *, held: set[str]) -> int:
    """Delete the stored ``names`` that are not in ``held`` (the names rows still point at: a file is never taken
    from under a live row). Returns how many went; a file already gone is skipped, so running it again is safe."""
    removed = 0
    for name in dict.fromkeys(names):
        if name and name not in held and storage.exists(name):
            storage.delete(name)
            removed += 1
    return removed
