def publish_after_approval(workflow_state, user=None):
    """Publish the approved revision.

    The approval is the authorisation: approvers hold no direct publish permission, so that
    nothing goes live without a second person, and the permission check is skipped here.
    """
    workflow_state.content_object.get_latest_revision().publish(user=user, skip_permission_checks=True)
