from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/notice/", views.open_notice, name="notice"),
    path("runs/<int:pk>/publish/", views.publish, name="publish"),
    path("results/<int:pk>/object/", views.object_to_result, name="object"),
    path("objections/<int:pk>/decide/", views.decide_objection, name="decide"),
    path("towns/<int:pk>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("towns/<int:pk>/pools/", views.zone_pools_page, name="pools"),
]
