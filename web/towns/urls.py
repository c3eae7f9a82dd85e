from django.urls import path

from . import views

app_name = "towns"
urlpatterns = [
    path("", views.town_list, name="list"),
    path("new/", views.town_create, name="create"),
    path("<slug:code>/", views.town_detail, name="detail"),
    path("<slug:code>/enrolments/<int:pk>/tier/", views.enrolment_change_tier, name="change_tier"),
    path("<slug:code>/enrolments/<int:pk>/approval/", views.enrolment_record_approval, name="record_approval"),
]
