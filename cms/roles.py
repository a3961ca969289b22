"""The groups Bangban ships with and what each may do.

The table is applied after every ``migrate`` (``cms.signal_handlers.apply_roles``, idempotent), never inside a
migration: a migration runs against the models of its own time, and a permission an app adds later would not exist
there yet. Nobody but a superuser holds ``publish_page``: a tutorial goes live only through the two-person review
workflow, whose approver can never be an author of the revision under review.
"""

from django.utils.translation import gettext_lazy as _

EDITORS = "Editors"
MODERATORS = "Moderators"
PUBLICITY_OFFICERS = "Publicity officers"
TRAINING_MANAGERS = "Training managers"
STAFF_LEARNERS = "Staff learners"

ALL_GROUPS = [EDITORS, MODERATORS, PUBLICITY_OFFICERS, TRAINING_MANAGERS, STAFF_LEARNERS]

# codename lists; "app_label.codename"
MODEL_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: [
        "wagtailadmin.access_admin",
        "tutorials.view_servicecategory",
        "tutorials.view_stepfeedback",
        "bangban_media.add_videoasset",
        "bangban_media.change_videoasset",
        "bangban_media.view_videoasset",
        # No publish_subtitletrack: a version goes public only through the two-person workflow.
        "bangban_media.add_subtitletrack",
        "bangban_media.change_subtitletrack",
        "bangban_media.view_subtitletrack",
        "bangban_media.view_glossaryterm",
        "bangban_search.view_searchsynonym",
        "bangban_search.view_zeroresultquery",
        "bangban_search.view_answeredquery",
        "bangban_search.delete_zeroresultquery",
        "bangban_search.view_indexoutbox",
        "privacy.view_finding",
    ],
    MODERATORS: [
        "wagtailadmin.access_admin",
        "tutorials.add_servicecategory",
        "tutorials.change_servicecategory",
        "tutorials.delete_servicecategory",
        "tutorials.view_servicecategory",
        "tutorials.view_stepfeedback",
        "bangban_media.add_videoasset",
        "bangban_media.change_videoasset",
        "bangban_media.view_videoasset",
        "bangban_media.add_subtitletrack",
        "bangban_media.change_subtitletrack",
        "bangban_media.view_subtitletrack",
        "bangban_media.add_glossaryterm",
        "bangban_media.change_glossaryterm",
        "bangban_media.delete_glossaryterm",
        "bangban_media.view_glossaryterm",
        "bangban_search.add_searchsynonym",
        "bangban_search.change_searchsynonym",
        "bangban_search.delete_searchsynonym",
        "bangban_search.view_searchsynonym",
        "bangban_search.view_zeroresultquery",
        "bangban_search.view_answeredquery",
        "bangban_search.delete_zeroresultquery",
        "bangban_search.view_indexoutbox",
        "privacy.view_finding",
        "privacy.override_finding",
        # Approvers of courses in the two-person review; they never see staff records.
        "training.change_course",
        "training.view_course",
        # Approvers of channel packages in the two-person review.
        "publishing.view_channel",
        "publishing.change_package",
        "publishing.view_package",
        "publishing.view_publication",
    ],
    PUBLICITY_OFFICERS: [
        "wagtailadmin.access_admin",
        "tutorials.view_servicecategory",
        "bangban_media.view_videoasset",
        "publishing.view_channel",
        # No publish_package: a package goes out only through the two-person workflow.
        "publishing.add_package",
        "publishing.change_package",
        "publishing.view_package",
        "publishing.view_publication",
        # The webhook delivery log and "retry now"; visits per channel on each tutorial.
        "publishing.view_delivery",
        "publishing.change_delivery",
        "publishing.view_channelvisit",
        "privacy.view_finding",
    ],
    TRAINING_MANAGERS: [
        "wagtailadmin.access_admin",
        "tutorials.view_servicecategory",
        "tutorials.view_stepfeedback",
        "bangban_search.view_zeroresultquery",
        "bangban_search.view_answeredquery",
        "bangban_media.view_videoasset",
        "training.add_department",
        "training.change_department",
        "training.delete_department",
        "training.view_department",
        "training.add_staffprofile",
        "training.change_staffprofile",
        "training.delete_staffprofile",
        "training.view_staffprofile",
        # No publish_course: a course reaches learners only through the two-person workflow.
        "training.add_course",
        "training.change_course",
        "training.delete_course",
        "training.view_course",
        "training.add_questioncategory",
        "training.change_questioncategory",
        "training.delete_questioncategory",
        "training.view_questioncategory",
        "training.add_question",
        "training.change_question",
        "training.delete_question",
        "training.view_question",
        "training.add_quiz",
        "training.change_quiz",
        "training.delete_quiz",
        "training.view_quiz",
    ],
    STAFF_LEARNERS: [],
}

# Page permissions granted on the tree's root, so they hold for every page.
PAGE_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    MODERATORS: ["add_page", "change_page", "lock_page", "unlock_page"],
    PUBLICITY_OFFICERS: [],
    TRAINING_MANAGERS: [],
    STAFF_LEARNERS: [],
}

# Image and document permissions on the root collection.
COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    MODERATORS: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.delete_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.delete_document",
        "wagtaildocs.choose_document",
    ],
    PUBLICITY_OFFICERS: ["wagtailimages.choose_image"],
    TRAINING_MANAGERS: ["wagtailimages.choose_image", "wagtaildocs.choose_document"],
    STAFF_LEARNERS: [],
}

# The names are stored in English, as keys; cms.workflow_names shows them in the reader's language.
WORKFLOW_NAME = "Two-person review"
TASK_NAME = "A second person approves"
DISPLAY_NAMES = {
    WORKFLOW_NAME: _("Two-person review"),
    TASK_NAME: _("A second person approves"),
}
APPROVER_GROUPS = [MODERATORS]

# Snippet models ("app_label.modelname") moderated by the same two-person workflow as pages.
WORKFLOW_MODELS: list[str] = ["bangban_media.subtitletrack", "training.course", "publishing.package"]
