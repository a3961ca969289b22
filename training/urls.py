from django.urls import path

from . import certificate_views, quiz_views, search_views, views

app_name = "training"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("login/", views.LearnerLoginView.as_view(), name="login"),
    path("logout/", views.LearnerLogoutView.as_view(), name="logout"),
    path("courses/<id:course_id>/", views.course_detail, name="course"),
    path("lessons/<id:lesson_id>/", views.lesson_detail, name="lesson"),
    path("lessons/<id:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("lessons/<id:lesson_id>/watched/", views.lesson_watched, name="lesson_watched"),
    path("certificates/<id:certificate_id>/", certificate_views.certificate_page, name="certificate"),
    path("certificates/<id:certificate_id>/<str:kind>/", certificate_views.certificate_file, name="certificate_file"),
    path("lessons/<id:lesson_id>/reread/", views.lesson_reread, name="lesson_reread"),
    path("verify/<str:code>/", certificate_views.verify, name="verify"),
    path("search/", search_views.staff_search, name="search"),
    path("quizzes/<id:quiz_id>/", quiz_views.quiz_start, name="quiz"),
    path("attempts/<id:attempt_id>/", quiz_views.attempt_page, name="attempt"),
    path("attempts/<id:attempt_id>/answer/", quiz_views.attempt_answer, name="attempt_answer"),
    path("attempts/<id:attempt_id>/submit/", quiz_views.attempt_submit, name="attempt_submit"),
    path("attempts/<id:attempt_id>/result/", quiz_views.attempt_result, name="attempt_result"),
]
