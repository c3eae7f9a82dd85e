from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("elder-mode/", views.set_elder_mode, name="elder_mode"),
]
