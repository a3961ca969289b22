from django.urls import path

from . import views

urlpatterns = [
    path("findings/<int:pk>/picture/", views.finding_picture, name="finding_picture"),
    path("findings/<int:pk>/override/", views.finding_override, name="finding_override"),
    path("findings/<int:pk>/mask/", views.finding_mask, name="finding_mask"),
]
