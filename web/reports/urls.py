from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_period, name="open_period"),
    path("revisions/<int:pk>/workbook/", views.revision_workbook, name="revision_workbook"),
    path("<slug:programme>/<str:period>/", views.period_status, name="period"),
    path("<slug:programme>/<str:period>/close/", views.close_period, name="close_period"),
    path("<slug:programme>/<str:period>/template.xlsx", views.template_download, name="template"),
    path("<slug:programme>/<str:period>/bulk/", views.bulk_upload, name="bulk_upload"),
    path("<slug:programme>/<str:period>/bulletin/", views.bulletin_detail, name="bulletin"),
    path("<slug:programme>/<str:period>/bulletin/generate/", views.bulletin_generate, name="bulletin_generate"),
    path("<slug:programme>/<str:period>/bulletin/publish/", views.bulletin_publish, name="bulletin_publish"),
    path("<slug:programme>/<str:period>/bulletin.xlsx", views.bulletin_export, name="bulletin_export"),
    path("<slug:programme>/<str:period>/towns/<slug:code>/", views.report_detail, name="report"),
    path("<slug:programme>/<str:period>/towns/<slug:code>/upload/", views.report_upload, name="report_upload"),
]
