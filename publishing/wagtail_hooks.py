from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet, SnippetViewSetGroup

from . import admin_views, selectors
from .forms import ChannelForm, PackageForm
from .models import Channel, Package
from .services import package_build_enqueue


class PackageBuildPanel(Panel):
    """Build progress, the reason a build failed, whether the package is out of date, and a preview of every file."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/admin/build_panel.html"

        class Media:
            css = {"all": ["publishing/css/admin.css"]}
            js = ["cms/js/status_poll.js"]

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            package = self.instance
            context["package"] = package
            context["payload"] = admin_views.status_payload(package)
            context["files"] = selectors.package_previews(package=package)
            context["publications"] = package.publications.select_related("published_by")[:10]
            return context


class PackageCreateView(CreateView):
    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        tutorial = self.request.GET.get("tutorial", "")
        if tutorial.isdigit() and len(tutorial) < 12:
            instance = instance or self.model()
            instance.tutorial_id = int(tutorial)
        return instance

    def save_instance(self):
        self.form.instance.created_by = self.request.user
        instance = super().save_instance()
        package_build_enqueue(package_id=instance.pk)
        return instance


class PackageEditView(EditView):
    def save_instance(self):
        # Approving or rejecting unchanged content must not add a revision by the reviewer, who would then count
        # as an author of the version under review.
        if self.action == "workflow-action" and not self.form.has_changed():
            self.new_revision = None
            return self.object
        return super().save_instance()


class PackageViewSet(SnippetViewSet):
    model = Package
    icon = "media"
    menu_label = _("Channel packages")
    copy_view_enabled = False
    list_display = ["__str__", "channel", "shown_build_status_label", "out_of_date_message", "built_at"]
    list_filter = ["channel", "build_status", "out_of_date"]
    add_view_class = PackageCreateView
    edit_view_class = PackageEditView
    edit_handler = ObjectList(
        [FieldPanel("tutorial"), FieldPanel("channel"), PackageBuildPanel(heading=_("Build"))],
        base_form_class=PackageForm,
    )

    def get_queryset(self, request):
        return Package.objects.select_related("tutorial", "channel")


class ChannelViewSet(SnippetViewSet):
    model = Channel
    icon = "site"
    menu_label = _("Channels")
    copy_view_enabled = False
    list_display = ["name", "slug", "kind"]
    search_fields = ["name", "slug"]
    edit_handler = ObjectList(Channel.panels, base_form_class=ChannelForm)


class PublishingGroup(SnippetViewSetGroup):
    items = (PackageViewSet, ChannelViewSet)
    menu_icon = "media"
    menu_label = _("Publicity")
    menu_name = "publicity"
    menu_order = 260


register_snippet(PublishingGroup)


@hooks.register("register_admin_urls")
def register_package_urls():
    return [
        path("publishing/packages/<int:pk>/status/", admin_views.package_status, name="package_status"),
        path("publishing/packages/<int:pk>/files/<slug:role>/", admin_views.package_file, name="package_file"),
        path(
            "publishing/packages/<int:pk>/files/step_image/<int:step>/",
            admin_views.package_step_image,
            name="package_step_image",
        ),
        path(
            "publishing/packages/<int:pk>/files/<slug:role>/page.jpg",
            admin_views.package_file_page,
            name="package_file_page",
        ),
        path("publishing/packages/<int:pk>/zip/", admin_views.package_zip, name="package_zip"),
        path("publishing/packages/<int:pk>/rebuild/", admin_views.package_rebuild, name="package_rebuild"),
    ]


@hooks.register("register_page_header_buttons")
def build_package_button(page, user, view_name, next_url=None):
    from tutorials.models import TutorialPage

    if isinstance(page.specific_deferred, TutorialPage) and page.live and user.has_perm("publishing.add_package"):
        yield Button(
            _("Build channel package"),
            reverse("wagtailsnippets_publishing_package:add") + f"?tutorial={page.pk}",
            icon_name="media",
            priority=80,
        )


class OutOfDatePackagesPanel(Component):
    name = "out_of_date_packages"
    template_name = "publishing/admin/out_of_date_panel.html"
    order = 106

    def __init__(self, packages):
        self.packages = packages

    def get_context_data(self, parent_context=None):
        return {"packages": self.packages}

    def render_html(self, parent_context=None):
        if not self.packages:
            return ""
        return super().render_html(parent_context)


@hooks.register("construct_homepage_panels")
def add_out_of_date_panel(request, panels):
    panels.append(OutOfDatePackagesPanel(selectors.packages_out_of_date_for(user=request.user)))


from . import delivery_admin, visits_hooks  # noqa: E402, F401  (their hooks register on import)
