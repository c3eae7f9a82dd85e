from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.panel_list, name="list"),
    path("new/", views.panel_create, name="create"),
    path("<int:pk>/", views.panel_detail, name="panel"),
    path("<int:pk>/members/", views.panel_add_member, name="add_member"),
    path("<int:pk>/members/<int:member_pk>/replace/", views.panel_replace_member, name="replace_member"),
    path("<int:pk>/declare/", views.panel_declare, name="declare"),
    path("<int:pk>/score/", views.panel_score, name="score"),
    path("<int:pk>/decide/", views.panel_decide, name="decide"),
    path("<int:pk>/print/", views.panel_print, name="print"),
    path("acceptances/", views.acceptance_list, name="acceptances"),
    path("acceptances/apply/<int:enrolment_pk>/", views.acceptance_apply, name="apply"),
    path("acceptances/<int:pk>/", views.acceptance_detail, name="acceptance"),
    path("acceptances/<int:pk>/step/", views.acceptance_step, name="acceptance_step"),
    path("acceptances/<int:pk>/extend/", views.acceptance_extend, name="acceptance_extend"),
    path("delegations/", views.delegation_list, name="delegations"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="revoke_delegation"),
]
