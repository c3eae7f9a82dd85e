from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/<int:enrolment_pk>/", views.contract_draft, name="draft"),
    path("<int:pk>/", views.contract_detail, name="contract"),
    path("<int:pk>/sign/", views.contract_sign, name="sign"),
    path("<int:pk>/in-force/", views.contract_in_force, name="in_force"),
    path("<int:pk>/end/", views.contract_end, name="end"),
    path("<int:pk>/funding/", views.funding, name="funding"),
    path("<int:pk>/funding/record/", views.funding_record, name="funding_record"),
    path("<int:pk>/funding/<int:entry_pk>/reverse/", views.funding_reverse, name="funding_reverse"),
    path("<int:pk>/funding.xlsx", views.funding_export, name="funding_xlsx"),
    path("<int:pk>/project/", views.project, name="project"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/milestones/<int:milestone_pk>/done/", views.milestone_done, name="milestone_done"),
    path("<int:pk>/progress/", views.progress_submit, name="progress"),
    path("<int:pk>/acceptance/", views.acceptance_apply, name="acceptance"),
]
