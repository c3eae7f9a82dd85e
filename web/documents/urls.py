from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("documents/<str:kind>/<int:pk>.pdf", views.document_pdf, name="pdf"),
    path("documents/office/<str:policy_id>/", views.office_settings, name="office"),
    path("public/documents/", views.public_index, name="public_index"),
    path("public/objections/<str:token>/", views.objection_receipt_page, name="objection_receipt_page"),
    path("public/objections/<str:token>/receipt.pdf", views.objection_receipt, name="objection_receipt"),
    path("t/<slug:code>/", views.profile, name="profile"),
    path("t/<slug:code>/profile.pdf", views.profile_pdf, name="profile_pdf"),
    path("t/<slug:code>/qr.<str:fmt>", views.town_qr, name="qr"),
]
