"""Permission policies that confine training managers to their own departments, for every admin view that asks the
policy about an object (edit, delete, bulk actions, choosers)."""

from wagtail.permission_policies import ModelPermissionPolicy


class ScopedPermissionPolicy(ModelPermissionPolicy):
    def __init__(self, model, *, scope):
        super().__init__(model)
        self.scope = scope

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return self.scope(user=user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return self.scope(user=user)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.scope(user=user)
