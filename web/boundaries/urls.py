from django.urls import path

from . import views

app_name = "boundaries"
urlpatterns = [
    path("red-lines/", views.red_lines, name="red_lines"),
    path("red-lines/<int:pk>/progress/", views.red_line_progress, name="red_line_progress"),
    path("towns/<slug:code>/upload/", views.boundary_upload, name="upload"),
    path("towns/<slug:code>/versions/<int:pk>.geojson", views.boundary_geojson, name="geojson"),
]
