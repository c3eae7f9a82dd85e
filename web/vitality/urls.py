from django.urls import path

from . import views

app_name = "vitality"

urlpatterns = [
    path("", views.index, name="index"),
    path("run/<slug:policy_id>/", views.start_run, name="start_run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("signals/", views.signals, name="signals"),
    path("signals/review/", views.review_signal, name="review_signal"),
]
