from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("calls/", views.call_list, name="calls"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:call_pk>/apply/", views.application_start, name="start"),
    path("calls/<int:call_pk>/ranking/", views.call_ranking, name="ranking"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/verdict/", views.application_verdict_partial, name="verdict"),
    path("<int:pk>/materials/", views.material_upload, name="upload"),
    path("<int:pk>/materials/<int:material_pk>/", views.material_download, name="download"),
    path("<int:pk>/decide/", views.application_decide, name="decide"),
    path("<int:pk>/departments/", views.name_departments, name="name_departments"),
    path("<int:pk>/opinions/", views.record_opinion, name="record_opinion"),
]
