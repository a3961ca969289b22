from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("login/", views.LearnerLoginView.as_view(), name="login"),
    path("logout/", views.LearnerLogoutView.as_view(), name="logout"),
    path("courses/<id:course_id>/", views.course_detail, name="course"),
    path("lessons/<id:lesson_id>/", views.lesson_detail, name="lesson"),
    path("lessons/<id:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("lessons/<id:lesson_id>/watched/", views.lesson_watched, name="lesson_watched"),
]
