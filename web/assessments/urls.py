from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("start/<slug:policy_id>/", views.run_start, name="start"),
    path("runs/<int:pk>/", views.run_detail, name="detail"),
    path("runs/<int:pk>/rerun/", views.run_rerun, name="rerun"),
    path("runs/<int:pk>/publish/", views.run_publish, name="publish"),
    path("runs/<int:pk>/whatif/", views.whatif_new, name="whatif"),
    path("runs/<int:pk>/whatif/<int:entry_pk>/", views.whatif_detail, name="whatif_detail"),
    path("runs/<int:pk>/whatif/<int:entry_pk>.xlsx", views.whatif_xlsx, name="whatif_xlsx"),
    path("proposals/<int:pk>/override/", views.proposal_override, name="override"),
    path("proposals/<int:pk>/excellent/", views.proposal_excellent, name="excellent"),
    path("proposals/<int:pk>/risk/", views.proposal_risk, name="risk"),
    path("results/<slug:policy_id>/<int:year>/", views.results, name="results"),
    path("results/<slug:policy_id>/<int:year>.xlsx", views.results_xlsx, name="results_xlsx"),
    path("fraud/<int:enrolment_pk>/", views.fraud_new, name="fraud_new"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
