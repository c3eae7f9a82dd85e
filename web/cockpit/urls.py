from django.urls import path

from . import views

app_name = "cockpit"
urlpatterns = [
    path("", views.cockpit, name="index"),
    path("data/map.json", views.map_data, name="map_data"),
    path("data/targets.json", views.kpi_data, name="kpi_data"),
    path("export/<slug:panel>.xlsx", views.export, name="export"),
    path("base-layer/", views.base_layer_upload, name="base_layer"),
]
